package io.courier.internal.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAddressesTest {

  @Test
  void aSpecificBindHostIsAdvertisedAsIs() {
    assertThat(LocalAddresses.advertisedHost("10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(LocalAddresses.advertisedHost("orders.internal")).isEqualTo("orders.internal");
  }

  @Test
  void aWildcardBindHostAdvertisesAnAddressOfThisMachine() {
    assertThat(LocalAddresses.advertisedHost("0.0.0.0")).isNotBlank().isNotEqualTo("0.0.0.0");
  }

  @Test
  void siteLocalIpv4IsPreferredThenOtherIpv4ThenGlobalIpv6() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress linkLocal = InetAddress.getByName("169.254.1.1");
    InetAddress global6 = InetAddress.getByName("2001:db8::1");
    InetAddress public4 = InetAddress.getByName("203.0.113.9");
    InetAddress private4 = InetAddress.getByName("192.168.1.20");
    assertThat(LocalAddresses.choose(List.of(loopback, linkLocal, global6, public4, private4))).isEqualTo(private4);
    assertThat(LocalAddresses.choose(List.of(loopback, global6, public4))).isEqualTo(public4);
    assertThat(LocalAddresses.choose(List.of(loopback, linkLocal, global6))).isEqualTo(global6);
    assertThat(LocalAddresses.choose(List.of(loopback, linkLocal))).isNull();
  }
}
