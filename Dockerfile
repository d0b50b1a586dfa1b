# syntax=docker/dockerfile:1
# One image for the three apps: `node dist/apps/<api|worker|scheduler>/main.js`, on Node 24 LTS
# (the supported runtime; package.json's engines still admits 20.19+ for machines that have it).

# Dependencies, installed once from the lockfile.
FROM node:24.21-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The workspaces' manifests (packages/: the client and the CLI), which the lockfile names.
COPY packages/client/package.json packages/client/
COPY packages/cli/package.json packages/cli/
RUN npm ci --no-audit --no-fund

# Sources and dev tooling: builds the apps; also the image of the one-shot `migrate` service.
FROM deps AS tools
COPY . .
RUN npm run build && chown -R node:node /app
USER node
CMD ["npm", "run", "db:setup"]

# Production dependencies only.
FROM deps AS prod-deps
RUN npm prune --omit=dev

# The runtime image: built apps, production dependencies and default config, as a non-root user.
# The apps bundle most of their dependencies (rspack.config.js): each app's main.js and the
# chunks beside it that it loads on demand (such as BullMQ's PostgreSQL backend), all of dist/.
# node_modules still serves the packages left external there (pino, Swagger UI's assets, Bull
# Board, the S3 SDK).
FROM node:24.21-bookworm-slim AS runtime
# NODE_OPTIONS: the apps' V8 options, MALLOC_ARENA_MAX: their malloc setting
# (scripts/launcher/app-node-args.ts says why); an operator who sets either for a container
# replaces them, so keep them in it.
ENV NODE_ENV=production \
    APP_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=tools --chown=node:node /app/dist ./dist
COPY --chown=node:node config ./config
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000 3001 3002
# Each service overrides the command and sets HEALTH_PORT to its own port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/api/main.js"]
