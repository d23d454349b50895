# syntax=docker/dockerfile:1
#
# The exp image: one static binary on distroless, run as a non-root user.
# modernc.org/sqlite is pure Go, so CGO_ENABLED=0 needs no C toolchain and
# the binary needs no libc; distroless static still brings CA certificates
# (for https:// targets), tzdata and a /tmp.
#
#   docker build -t REGISTRY/exp:TAG .
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/exp:TAG --push .
#
# The entrypoint is exp: `docker run IMAGE run --url ...`, and in the
# Kubernetes Jobs of `exp dist render` the container's args are exp's.

ARG GO_VERSION=1.26.8

# Built on the builder's own platform and cross-compiled: no emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags='-s -w' -o /out/exp ./cmd/exp

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/exp /usr/local/bin/exp
# nonroot is 65532; numeric, so runAsNonRoot can check it.
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/exp"]
