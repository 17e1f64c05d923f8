/**
 * The in-process transport ({@code "inprocess"}): calls within one JVM, servers addressed by name, arguments and
 * results passed by reference (a generic call's through its serializer, as over a wire), for fast tests of everything
 * above the wire. It is built on the transport SPI and the public API only, and must not depend on the core's internal
 * packages, so that the core meets it exactly as it meets a network transport. Its tests — the shared {@code
 * AbstractTransportTest} and {@code AbstractTransportContractTest} — are in rpc-testing's own tests, since rpc-core
 * cannot depend on rpc-testing.
 */
package io.courier.transport.inprocess;
