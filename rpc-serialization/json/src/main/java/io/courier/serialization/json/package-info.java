/**
 * JSON through Jackson 3 ({@code "json"}, wire id 4, module {@code courier-serialization-json}), the format REST
 * clients in any language speak: {@link io.courier.serialization.json.JsonSerializer}, {@code LocalDate} and {@code
 * LocalDateTime} written and read by hand in their ISO form ({@code IsoLocalDates}), and {@code HashedCollections},
 * which reads hashed sets and maps so that colliding hash codes cannot make building them quadratic. It depends on
 * {@code io.courier.serialization} only (and Jackson, and Netty's buffers): the REST binding uses it, not the other way
 * round, and it must not depend on clients, servers, transports or the other formats.
 */
package io.courier.serialization.json;
