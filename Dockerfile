# syntax=docker/dockerfile:1
# One image for the api, the worker and the one-shot migrate service (docker-compose.yml).
# Build: docker build -t hyoka .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci refuses this lock file when it lacks other platforms' optional binaries (npm's own
# lock writing, see scripts/lib.sh); npm install then installs the same locked versions.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig*.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY config ./config
COPY web ./web
RUN npx nest build api && npx nest build worker && npm run build:web \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The api serves the built web UI from /app/web/dist.
COPY --from=build /app/web/dist ./web/dist
# Seed data files (libs/seed/data) are read at run time by the demo seed.
COPY --from=build /app/libs/seed/data ./libs/seed/data
# The hyoka-secrets volume (docker-compose.yml) mounts here: a new volume takes this owner, so
# the installer, running as node, can write the signing key.
# The api prints the record's PDF with Debian's Chromium (CHROMIUM_PATH); the fonts render Japanese.
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /var/lib/hyoka && chown node:node /var/lib/hyoka && chmod 700 /var/lib/hyoka
USER node
EXPOSE 3000
# The worker and migrate services override this command.
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
