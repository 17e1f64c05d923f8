package io.courier.spring.internal;

import io.courier.client.RpcClient;
import io.courier.common.RpcService;
import io.courier.spring.RpcExport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds what to export: every singleton bean implementing {@code @RpcService} interfaces, under each of them, unless
 * {@code @RpcExport(false)}, listed in {@code courier.server.excluded-beans}, or a stub. Fails when two beans would
 * serve the same service (requests name the service only, so one server has one implementation of it), naming both.
 */
public final class ServiceExports {

  /** One bean exported under one interface. */
  public record Export(String beanName, Class<?> type, Object bean, String version, String group) {}

  private ServiceExports() {}

  static List<Export> find(ConfigurableListableBeanFactory beanFactory, Set<String> excluded) {
    List<Export> exports = new ArrayList<>();
    Map<String, Export> byService = new LinkedHashMap<>();
    Set<String> excludedFound = new HashSet<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      if (!beanFactory.containsBeanDefinition(name)) {
        continue;
      }
      List<String> listedAs = Stream.concat(Stream.of(name), Arrays.stream(beanFactory.getAliases(name)))
          .filter(excluded::contains).toList();
      if (!listedAs.isEmpty()) {
        Class<?> type = beanFactory.getType(name, false);
        if (type == null || !serviceInterfaces(type).isEmpty()) { // a type unknown yet would not be exported either
          excludedFound.addAll(listedAs);
        }
        continue;
      }
      BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
      if (definition.isAbstract() || !definition.isSingleton()
          || Boolean.TRUE.equals(definition.getAttribute(CourierClientsRegistrar.STUB_ATTRIBUTE))) {
        continue;
      }
      Class<?> type = beanFactory.getType(name, false);
      if (type == null) {
        continue;
      }
      List<Class<?>> services = serviceInterfaces(type);
      if (services.isEmpty()) {
        continue;
      }
      RpcExport export = beanFactory.findAnnotationOnBean(name, RpcExport.class, false);
      if (export != null && !export.value()) {
        continue;
      }
      if (export != null && export.interfaces().length > 0) {
        for (Class<?> wanted : export.interfaces()) {
          if (!services.contains(wanted)) {
            throw new CourierConfigurationException("@RpcExport(interfaces) of bean '" + name + "'",
                wanted.getName(), "is not an @RpcService interface the bean implements (it implements " + services
                + ")", "List only @RpcService interfaces that " + type.getName() + " implements.", null);
          }
        }
        services = Arrays.asList(export.interfaces());
      }
      Object bean = beanFactory.getBean(name);
      if (RpcClient.isStub(bean)) {
        continue; // a stub calls remote providers; serving it would loop calls back out
      }
      String version = export == null ? "" : export.version().trim();
      String group = export == null ? "" : export.group().trim();
      for (Class<?> service : services) {
        Export e = new Export(name, service, bean, version, group);
        Export clash = byService.putIfAbsent(service.getName(), e);
        if (clash != null) {
          throw new CourierConfigurationException("courier.server.excluded-beans", null, "beans '"
              + clash.beanName() + "' and '" + name + "' both implement " + service.getName()
              + " and would be exported twice; a server serves one implementation of a service (calls name the"
              + " service, not its version or group)", "Annotate the one not to serve with @RpcExport(false) or list"
              + " it in courier.server.excluded-beans; serve another version or group from another application.",
              null);
        }
        exports.add(e);
      }
    }
    requireAllFound(excluded, excludedFound, byService.values());
    return exports;
  }

  /**
   * Fails on a name in {@code courier.server.excluded-beans} that names no bean implementing an {@code @RpcService}
   * interface: a misspelt name would otherwise leave the bean it meant exported, which is what the setting is there
   * to prevent.
   */
  private static void requireAllFound(Set<String> excluded, Set<String> found, Collection<Export> exported) {
    Set<String> missing = new TreeSet<>(excluded);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      Set<String> exportedNames = new TreeSet<>();
      exported.forEach(e -> exportedNames.add(e.beanName()));
      throw new CourierConfigurationException("courier.server.excluded-beans", String.join(",", missing), "names no"
          + " bean that implements an @RpcService interface, so it excludes nothing (beans exported: "
          + exportedNames + ")", "Write the bean's name as the application context names it (for a @Bean method,"
          + " the method's name), or remove the entry.", null);
    }
  }

  private static List<Class<?>> serviceInterfaces(Class<?> type) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(ClassUtils.getUserClass(type))) {
      if (candidate.isAnnotationPresent(RpcService.class)) {
        found.add(candidate);
      }
    }
    return found;
  }
}
