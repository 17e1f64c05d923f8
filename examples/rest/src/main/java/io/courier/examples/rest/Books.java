package io.courier.examples.rest;

import io.courier.common.RpcService;
import io.courier.rest.PathParam;
import io.courier.rest.QueryParam;
import io.courier.rest.RestRoute;
import java.time.LocalDate;
import java.util.List;

/**
 * A bookshelf, as an ordinary Courier service. The {@code @RestRoute} annotations give it resource routes over
 * REST; {@link #count()} has none, so it is served at the default route {@code POST /example.Books/count}. Over the
 * other transports (tcp, http2) the annotations change nothing.
 */
@RpcService(name = "example.Books")
public interface Books {

  /** {@code GET /books/{isbn}}; a missing book is {@code 404} ({@code NOT_FOUND}). */
  @RestRoute(method = "GET", path = "/books/{isbn}")
  Book get(@PathParam("isbn") String isbn);

  /** {@code GET /books?author=...}: every book, or those of one author. */
  @RestRoute(method = "GET", path = "/books")
  List<Book> list(@QueryParam("author") String author);

  /**
   * {@code POST /books} with the book as the JSON body; an ISBN already there is {@code 409} ({@code ALREADY_EXISTS}).
   */
  @RestRoute(method = "POST", path = "/books")
  Book add(Book book);

  /** {@code DELETE /books/{isbn}}: {@code 204}. */
  @RestRoute(method = "DELETE", path = "/books/{isbn}")
  void remove(@PathParam("isbn") String isbn);

  /** The default route: {@code POST /example.Books/count}, no body. */
  int count();

  /** A book; {@code published} travels as an ISO-8601 date. */
  record Book(String isbn, String title, String author, LocalDate published) {}
}
