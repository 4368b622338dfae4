# flashsale: one image for the API (default), the worker and the migration job.
#   docker build -t flashsale .
#   docker run flashsale                                   # API on :3000
#   docker run flashsale node --import tsx apps/worker/main.ts
#   docker run flashsale npx prisma migrate deploy
# TypeScript runs through tsx: there is no build step.

# --- workspace manifests only, so `npm ci` stays cached while only sources change ---------
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY apps ./apps
COPY packages ./packages
RUN mkdir /manifests \
 && find apps packages -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# --- the image ---------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CHECKPOINT_DISABLE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app

COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY --from=manifests /manifests/ ./

# postinstall runs `prisma generate` (engine "js" in prisma.config.ts: nothing is downloaded
# but npm packages). DATABASE_URL must be set for it: with the variable unset, Prisma 6.19
# tries to download a native query engine. Only generate reads it here; it is not kept.
RUN DATABASE_URL=postgresql://build@127.0.0.1:5432/build npm ci --omit=dev \
 && npm cache clean --force

COPY . .

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/api/main.ts"]
