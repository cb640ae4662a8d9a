# edgex-ts container images, all from this one file:
#
#   docker build --build-arg SERVICE=core-data -t edgex-ts/core-data:0.1.0 .     one per folder in services/
#   docker build --target all-in-one -t edgex-ts/all-in-one:0.1.0 .               every service in one process
#
# scripts/docker/build-images.sh builds them all. Every image holds the same runtime tree (the compiled
# workspace and its production dependencies, one shared layer) and differs only in a last layer of two small
# files: the entry point and the ports its health check pings. No shell, no package manager and no build
# tools reach the images; they run as the unprivileged user 10001 and keep their data in /app/data.
#
# Build arguments:
#   BUILDER_IMAGE  where the workspace is installed and compiled (npm ci && npm run build); needs node and npm
#   BASE_IMAGE     what the images run on; needs node (the same major version as BUILDER_IMAGE, since native
#                  addons such as better-sqlite3 are compiled in the build stage)
#   SERVICE        the folder in services/ the image runs (the default target)
#
# Building without a registry (the deployment tests): `scripts/docker/build-images.sh --host-workspace` uses as
# BUILDER_IMAGE an image that already holds the runtime tree staged from this machine's installed and built
# workspace (/src/.docker-staged), so the build stage compiles nothing, and as BASE_IMAGE one made from this
# machine's Node (scripts/docker/base-image.sh).
ARG BUILDER_IMAGE=node:20-bookworm
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN ["node", "scripts/docker/build-workspace.mjs"]

FROM ${BASE_IMAGE} AS runtime
COPY --from=build /src/.docker-staged/app/ /app/
COPY --from=build --chown=10001:10001 /src/.docker-staged/data/ /app/data/
ENV NODE_ENV=production
WORKDIR /app
USER 10001:10001
# Every image checks its REST API: GET /api/v3/ping on each port in /app/image/health.json (or SERVICE_PORT).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/image/main.js"]

# The all-in-one, with the heap limits of `npm start` (package.json) for small boxes.
FROM runtime AS all-in-one
COPY --from=build /src/.docker-staged/images/all-in-one/ /app/image/
ENV NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128"
LABEL org.opencontainers.image.title="edgex-ts all-in-one"

# One service (the default target).
FROM runtime AS service
ARG SERVICE
COPY --from=build /src/.docker-staged/images/${SERVICE}/main.js /src/.docker-staged/images/${SERVICE}/health.json /app/image/
LABEL org.opencontainers.image.title="edgex-ts ${SERVICE}"
