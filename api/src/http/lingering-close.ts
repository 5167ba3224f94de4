import type { Socket } from 'node:net';
import type { Request, Response } from 'express';

/** How long a refused body may still arrive, read and dropped, after its answer was sent (nginx's lingering close waits up to 30 s). */
export const LINGER_MS = 2_000;

const lingering = new WeakSet<Socket>();

/**
 * Closes the connection after the answer without resetting it: for a request refused while its body
 * is still arriving (too large), whose client is still sending.
 *
 * `Connection: close` alone makes Node destroy the socket as soon as the answer is written
 * (`socket.destroySoon()` from the server's response-finish handler). A socket closed with unread
 * bytes sends a TCP reset, and a client that receives it may drop the answer it has not read yet:
 * the citizen then sees "connection reset" instead of "each photo must be at most 10 MB". So, as
 * nginx and Apache do, this socket closes in two steps: the answer and a FIN after it, then what the
 * client still sends is read and dropped until it closes its side, or for LINGER_MS at most.
 *
 * Done by replacing `destroySoon` on this one socket (Node's server calls it for a `Connection:
 * close` response; no public hook sits between the answer and the close).
 */
export function closeAfterAnswer(request: Request, response: Response): void {
  response.setHeader('Connection', 'close');
  const socket = request.socket as Socket & { destroySoon?: () => void };
  if (lingering.has(socket)) return;
  lingering.add(socket);
  socket.destroySoon = () => {
    socket.end();
    // The body parser may have stopped reading (multer unpipes on an error): drop the rest unread.
    request.unpipe();
    request.resume();
    const stop = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(stop, LINGER_MS);
    timer.unref();
    socket.once('end', stop);
    socket.once('close', () => clearTimeout(timer));
  };
}
