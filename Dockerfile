# syntax=docker/dockerfile:1
# kadmesh: a Kademlia DHT node with a service mesh on top, as one image.
#
#   docker build -t kadmesh .
#   docker run --rm -v kadmesh-data:/data -e KADMESH_BOOTSTRAP=10.0.0.7:7701 kadmesh
#
# Every `kadmesh node` flag is an environment variable KADMESH_<FLAG> (--bootstrap →
# KADMESH_BOOTSTRAP); docker/entrypoint.sh sets the container defaults (listen on 0.0.0.0, data in
# /data, advertise the container's own address). Not built in this repository's CI: no Docker
# daemon or registry is reachable there (see README, "Run in Docker / Kubernetes").

# ---- build: the shaded executable, cli/target/kadmesh.jar ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository is a cache mount: a rebuild downloads nothing it already has.
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package -pl cli -am \
    && cp cli/target/kadmesh.jar /kadmesh.jar

# ---- run: a JRE, the jar, the entrypoint; no build tools ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 kadmesh \
    && useradd --system --uid 10001 --gid kadmesh --home-dir /opt/kadmesh --shell /usr/sbin/nologin kadmesh \
    && mkdir -p /opt/kadmesh /data \
    && chown kadmesh:kadmesh /data
COPY --from=build /kadmesh.jar /opt/kadmesh/kadmesh.jar
COPY docker/entrypoint.sh /opt/kadmesh/entrypoint.sh
RUN chmod 0755 /opt/kadmesh/entrypoint.sh \
    && ln -s /opt/kadmesh/entrypoint.sh /usr/local/bin/kadmesh
USER kadmesh:kadmesh
# The node's ID, key, records (RocksDB) and contacts: --data-dir.
VOLUME ["/data"]
# Peer port (Kademlia, other nodes), API port (Dht and xDS, applications), admin HTTP (/metrics).
EXPOSE 7701 7700 7702
# grpc.health.v1 on the API port: SERVING once the node has joined (or runs alone). The first join
# may take a while after a restart, hence the start period.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/opt/kadmesh/entrypoint.sh", "health", "--timeout", "5s"]
ENTRYPOINT ["/opt/kadmesh/entrypoint.sh"]
CMD ["node"]
