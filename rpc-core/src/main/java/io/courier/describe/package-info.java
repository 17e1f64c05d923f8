/**
 * Service descriptions: each exported service's methods, kinds, argument names, JSON Schemas of the argument and
 * result types, REST routes and example arguments ({@link io.courier.describe.ServiceDescription},
 * {@link io.courier.describe.JsonSchemas}), written as JSON without a JSON library
 * ({@link io.courier.describe.JsonText}), and the SPI through which a serializer module describes its own types
 * ({@link io.courier.describe.SchemaProvider}). Servers serve them at {@code GET /courier/services} when enabled; see
 * {@code docs/describe.md}.
 */
package io.courier.describe;
