package io.courier.examples.rest;

import io.courier.common.Status;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The implementation: books in memory, two to start with. */
final class Bookshelf implements Books {

  private final Map<String, Book> books = new ConcurrentSkipListMap<>();

  Bookshelf() {
    add(new Book("978-0134685991", "Effective Java", "Joshua Bloch", LocalDate.of(2018, 1, 6)));
    add(new Book("978-0321349606", "Java Concurrency in Practice", "Brian Goetz", LocalDate.of(2006, 5, 9)));
  }

  @Override
  public Book get(String isbn) {
    Book book = books.get(isbn);
    if (book == null) {
      throw Status.NOT_FOUND.withDescription("no book with ISBN " + isbn).asException();
    }
    return book;
  }

  @Override
  public List<Book> list(String author) {
    return books.values().stream().filter(b -> author == null || b.author().equals(author)).toList();
  }

  @Override
  public Book add(Book book) {
    if (book == null || book.isbn() == null || book.title() == null) {
      throw Status.INVALID_ARGUMENT.withDescription("a book needs an isbn and a title").asException();
    }
    if (books.putIfAbsent(book.isbn(), book) != null) {
      throw Status.ALREADY_EXISTS.withDescription("ISBN " + book.isbn() + " is already on the shelf").asException();
    }
    return book;
  }

  @Override
  public void remove(String isbn) {
    books.remove(isbn);
  }

  @Override
  public int count() {
    return books.size();
  }
}
