# The platform as a container. Used by docker-compose.yml together with a PostGIS server.

# The workspaces' manifests: what both stages install from.
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY api/contracts/package.json api/contracts/
COPY migrations/package.json migrations/
COPY gis-data/package.json gis-data/
COPY tiles/package.json tiles/
COPY scripts/package.json scripts/
COPY map-client/package.json map-client/

# Every dependency, to build the map client.
FROM manifests AS build
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build && npm run heritage:build

# What runs: production dependencies only, the built client, and node itself as the main process
# behind an init (tini passes SIGTERM to node, which then stops gracefully, and reaps children), as
# the unprivileged `node` user.
FROM manifests
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
RUN npm ci --no-audit --no-fund --omit=dev && npm cache clean --force
COPY . .
COPY --from=build /app/map-client/dist map-client/dist
# The heritage sites' generated 3D Tiles (built once here: the running user cannot write /app).
COPY --from=build /app/gis-data/build/heritage gis-data/build/heritage
# Report photos (public copies and the private originals kept as evidence) live on a volume.
ENV MEDIA_DIR=/var/lib/bandoso/media
RUN mkdir -p /var/lib/bandoso/media /app/.data && chown -R node:node /var/lib/bandoso /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Docker's default stop timeout is 10 s: the grace for requests in flight is a little shorter.
ENV SHUTDOWN_GRACE_S=8
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "api/src/main.ts"]
