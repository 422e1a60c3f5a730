# One image for the six processes; docker-compose.yml picks the app with APP.
# Node 20.20.0 on Debian bookworm, pinned by the digest of its multi-platform index (amd64, arm64):
# a rebuild gets the same base until this line changes. .nvmrc and package.json's engines agree.
ARG NODE_IMAGE=node:20.20.0-bookworm-slim@sha256:d8a35d586fad3af7abb6fdb9ba972388395405f4d462da9e4a4ddcde67b5e0fb

# Everything: builds the apps, and runs the one-shot tools (migrations, the demo seed) that need
# the Prisma CLI and TypeScript, which the runtime image leaves out.
FROM ${NODE_IMAGE} AS build
WORKDIR /repo
COPY package.json package-lock.json ./
# No install scripts, as npm 11 on the development machines: nothing relies on one (Prisma's
# generate runs below, its query engine is the WebAssembly one shipped in npm).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build@localhost/build npx prisma generate \
 && npx nx run-many -t build -p api-gateway provisioning-worker billing-worker calling-worker delivery-worker provider-simulator --output-style=static

# Production dependencies only: the bundles in dist/ keep node_modules external.
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /repo
ENV NODE_ENV=production
COPY --from=production-dependencies /repo/node_modules ./node_modules
COPY --from=build /repo/dist ./dist
COPY package.json ./
COPY scripts/container-healthcheck.js ./scripts/
USER node
ENV APP=api-gateway
# The gateway answers on /health (503 while it drains); another process is checked at
# HEALTHCHECK_URL when its service sets one, else healthy while it runs (scripts/container-healthcheck.js).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/container-healthcheck.js"]
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
