import type { IncomingMessage, ServerResponse } from 'node:http';

/** A handler on Node's own request and response, answered ahead of Express (tiles, camera segments). */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
