package io.courier.spring.internal;

import io.courier.common.RpcService;
import io.courier.spring.EnableCourierClients;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers the stub beans of {@link EnableCourierClients}: one fallback bean per {@code @RpcService} interface, named
 * {@code courierStub:<interface>}, whose instance comes from {@link Stubs}. Invariant: an interface gets one stub bean
 * however many annotations name it.
 */
public final class CourierClientsRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware,
    EnvironmentAware, ResourceLoaderAware {

  /** Set on every stub bean definition, so that the exporter never serves a stub. */
  public static final String STUB_ATTRIBUTE = "courier.stub";
  private static final String PREFIX = "courierStub:";

  private BeanFactory beanFactory;
  private Environment environment;
  private ResourceLoader resourceLoader;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    Map<String, Object> attributes = metadata.getAnnotationAttributes(EnableCourierClients.class.getName());
    if (attributes == null) {
      return;
    }
    Set<String> packages = new LinkedHashSet<>();
    for (String p : (String[]) attributes.get("value")) {
      packages.add(p);
    }
    for (String p : (String[]) attributes.get("basePackages")) {
      packages.add(p);
    }
    for (Class<?> c : (Class<?>[]) attributes.get("basePackageClasses")) {
      packages.add(ClassUtils.getPackageName(c));
    }
    Class<?>[] clients = (Class<?>[]) attributes.get("clients");
    if (packages.isEmpty() && clients.length == 0) {
      packages.add(ClassUtils.getPackageName(metadata.getClassName()));
    }
    ClassLoader loader = resourceLoader != null ? resourceLoader.getClassLoader() : ClassUtils.getDefaultClassLoader();
    List<Class<?>> interfaces = new ArrayList<>();
    for (Class<?> c : clients) {
      if (!c.isInterface()) {
        throw new CourierConfigurationException("@EnableCourierClients(clients) on " + metadata.getClassName(),
            c.getName(), "is not an interface", "List @RpcService interfaces only.", null);
      }
      interfaces.add(c);
    }
    ClassPathScanningCandidateComponentProvider scanner = scanner();
    for (String p : packages) {
      for (BeanDefinition found : scanner.findCandidateComponents(p)) {
        interfaces.add(ClassUtils.resolveClassName(found.getBeanClassName(), loader));
      }
    }
    for (Class<?> type : interfaces) {
      String name = PREFIX + type.getName();
      if (registry.containsBeanDefinition(name)) {
        continue;
      }
      RootBeanDefinition definition = new RootBeanDefinition(type);
      definition.setTargetType(type);
      definition.setInstanceSupplier(() -> beanFactory.getBean(Stubs.class).stub(type, null, Stubs.SCANNED));
      definition.setFallback(true);
      definition.setAttribute(STUB_ATTRIBUTE, Boolean.TRUE);
      definition.setDestroyMethodName(""); // a stub owns nothing; the RpcClient is closed on its own
      registry.registerBeanDefinition(name, definition);
    }
  }

  private ClassPathScanningCandidateComponentProvider scanner() {
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
        environment) {
      @Override
      protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
        return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent()
            && !definition.getMetadata().isAnnotation();
      }
    };
    if (resourceLoader != null) {
      scanner.setResourceLoader(resourceLoader);
    }
    scanner.addIncludeFilter(new AnnotationTypeFilter(RpcService.class, false, true));
    return scanner;
  }
}
