package io.courier.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.Socket;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

class UnsupportedTypesTest {

  @SuppressWarnings("unused")
  interface Shapes {
    List<? extends InputStream> wildcard();

    Map<String, Socket[]> arrayInMap();

    List<String>[] genericArray();

    <T extends Thread> T typeVariable();

    Record record();
  }

  private static Type returnOf(String name) throws NoSuchMethodException {
    Method m = Shapes.class.getMethod(name);
    return m.getGenericReturnType();
  }

  @Test
  void liveResourcesAreFoundThroughGenericsArraysAndWildcards() throws Exception {
    assertThat(UnsupportedTypes.find(InputStream.class)).isEqualTo(InputStream.class);
    assertThat(UnsupportedTypes.find(ExecutorService.class)).isEqualTo(ExecutorService.class);
    assertThat(UnsupportedTypes.find(Iterator.class)).isEqualTo(Iterator.class);
    assertThat(UnsupportedTypes.find(Method.class)).isEqualTo(Method.class);
    assertThat(UnsupportedTypes.find(returnOf("wildcard"))).isEqualTo(InputStream.class);
    assertThat(UnsupportedTypes.find(returnOf("arrayInMap"))).isEqualTo(Socket.class);
  }

  @Test
  void valuesAndTypeVariablesAreNotRefusedHere() throws Exception {
    assertThat(UnsupportedTypes.find(String.class)).isNull();
    assertThat(UnsupportedTypes.find(returnOf("genericArray"))).isNull();
    assertThat(UnsupportedTypes.find(returnOf("record"))).isNull();
    assertThat(UnsupportedTypes.find(returnOf("typeVariable"))).as("checked where it is bound").isNull();
    assertThat(UnsupportedTypes.liveResourceReason("kryo", Map.class)).isNull();
  }

  @Test
  void theReasonNamesTheFormatTheResourceAndWhatToDo() throws Exception {
    assertThat(UnsupportedTypes.liveResourceReason("hessian", returnOf("arrayInMap")))
        .isEqualTo("hessian cannot carry java.net.Socket (a live resource, not a value); pass the data it holds"
            + " (a byte[], a String or a model class) instead");
  }
}
