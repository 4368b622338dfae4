# flashsale: one image for the API (default), the worker and the migration job.
#   docker build -t flashsale .
#   docker run flashsale                                   # API on :3000
#   docker run flashsale node apps/worker/dist/main.js     # a worker
#   docker run flashsale npx prisma migrate deploy         # the migrations
# A build stage compiles the TypeScript (tsc -b) with every dependency; the runtime stage
# holds production dependencies and the compiled JavaScript only (no TypeScript, no tsx).

# --- workspace manifests only, so the installs stay cached while only sources change ------
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY apps ./apps
COPY packages ./packages
RUN mkdir /manifests \
 && find apps packages -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# --- build: all dependencies, prisma generate, tsc -b --------------------------------------
FROM node:20-bookworm-slim AS build
ENV CHECKPOINT_DISABLE=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false
WORKDIR /src
COPY package.json package-lock.json prisma.config.ts tsconfig.base.json tsconfig.build.json ./
COPY prisma ./prisma
COPY --from=manifests /manifests/ ./
# Scripts are skipped here (the sources are not copied yet); generate and build run below.
RUN npm ci --ignore-scripts
COPY apps ./apps
COPY packages ./packages
COPY scripts ./scripts
# engine "js" in prisma.config.ts: nothing is downloaded. DATABASE_URL must be set for
# generate (with it unset, Prisma 6.19 tries to download a native engine); it is not kept.
RUN DATABASE_URL=postgresql://build@127.0.0.1:5432/build npx prisma generate \
 && npx tsc -b tsconfig.build.json \
 && mkdir /out \
 && find apps packages scripts -path '*/node_modules' -prune -o -type d -name dist -print \
      | xargs -I{} cp -r --parents {} /out/

# --- runtime: production dependencies and compiled JavaScript ------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production CHECKPOINT_DISABLE=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
# What the compiled code reads beside itself: the OpenAPI document, the dashboard, the Lua scripts.
COPY apps/api/openapi.json ./apps/api/
COPY apps/dashboard/public ./apps/dashboard/public
COPY packages/reservations/scripts ./packages/reservations/scripts
COPY --from=build /out/ ./

USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
