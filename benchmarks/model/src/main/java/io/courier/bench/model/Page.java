package io.courier.bench.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** One page of a listing: {@code pageNo}, the {@code total} number of items, and this page's items. */
public class Page<T> implements Serializable {

  private static final long serialVersionUID = 1L;

  private int pageNo;
  private int total;
  private List<T> result;

  public Page() {}

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
    return "Page{pageNo=" + pageNo + ", total=" + total + ", " + (result == null ? 0 : result.size()) + " items}";
  }
}
