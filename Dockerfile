# The platform as a container. Used by docker-compose.yml together with a PostGIS server.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY migrations/package.json migrations/
COPY gis-data/package.json gis-data/
COPY tiles/package.json tiles/
COPY scripts/package.json scripts/
COPY map-client/package.json map-client/
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
# The map client is built into the image, so a container starts without building it.
RUN npm run build
# Report photos (public copies and the private originals kept as evidence) live on a volume.
ENV MEDIA_DIR=/var/lib/bandoso/media
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["npm", "start"]
