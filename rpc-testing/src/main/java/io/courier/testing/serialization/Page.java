package io.courier.testing.serialization;

import java.util.List;
import java.util.Objects;

/** A generic page of results, declared as {@code Page<User>} in signatures. */
public class Page<T> {
  private int pageNo;
  private int total;
  private List<T> result;

  public Page() {}

  public Page(int pageNo, int total, List<T> result) {
    this.pageNo = pageNo;
    this.total = total;
    this.result = result;
  }

  public int getPageNo() {
    return pageNo;
  }

  public void setPageNo(int pageNo) {
    this.pageNo = pageNo;
  }

  public int getTotal() {
    return total;
  }

  public void setTotal(int total) {
    this.total = total;
  }

  public List<T> getResult() {
    return result;
  }

  public void setResult(List<T> result) {
    this.result = result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Page<?> p && pageNo == p.pageNo && total == p.total && Objects.equals(result, p.result);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pageNo, total, result);
  }

  @Override
  public String toString() {
    return "Page{pageNo=" + pageNo + ", total=" + total + ", result=" + result + "}";
  }
}
