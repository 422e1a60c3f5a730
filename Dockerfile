# One image for the six processes; docker-compose.yml picks the app with APP.
FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN DATABASE_URL=postgresql://build@localhost/build npx prisma generate \
 && npx nx run-many -t build -p api-gateway provisioning-worker billing-worker calling-worker delivery-worker provider-simulator

FROM node:20-bookworm-slim
WORKDIR /repo
ENV NODE_ENV=production
COPY --from=build /repo /repo
ENV APP=api-gateway
CMD ["sh", "-c", "node dist/apps/${APP}/main.js"]
