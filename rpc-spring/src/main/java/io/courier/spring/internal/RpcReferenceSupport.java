package io.courier.spring.internal;

import io.courier.spring.RpcReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

/**
 * Makes {@link RpcReference} work everywhere: installs {@link RpcReferenceResolver} (constructor and {@code @Bean}
 * parameters, {@code @Autowired} fields) when the bean factory is ready, and injects annotated fields and one-argument
 * methods of every bean itself, as {@code @Autowired} would. Invariant: the per-class list of injection points is
 * computed once.
 */
public final class RpcReferenceSupport implements BeanFactoryPostProcessor, InstantiationAwareBeanPostProcessor,
    BeanFactoryAware, Ordered {

  private final Map<Class<?>, List<Object>> members = new ConcurrentHashMap<>();
  private BeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) {
    if (factory instanceof DefaultListableBeanFactory listable) {
      RpcReferenceResolver.install(listable);
    }
  }

  @Override
  public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName) {
    for (Object member : members.computeIfAbsent(bean.getClass(), RpcReferenceSupport::annotatedMembers)) {
      if (member instanceof Field field) {
        Object stub = stubs().stub(field.getType(), field.getAnnotation(RpcReference.class),
            InjectionPoints.describe(field));
        ReflectionUtils.makeAccessible(field);
        ReflectionUtils.setField(field, bean, stub);
      } else {
        Method method = (Method) member;
        Object stub = stubs().stub(method.getParameterTypes()[0], method.getAnnotation(RpcReference.class),
            InjectionPoints.describe(method));
        ReflectionUtils.makeAccessible(method);
        ReflectionUtils.invokeMethod(method, bean, stub);
      }
    }
    return pvs;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 10;
  }

  private Stubs stubs() {
    return beanFactory.getBean(Stubs.class);
  }

  /**
   * Annotated instance fields and one-argument methods, superclasses first. Spring's and the JDK's own classes are
   * skipped, and so is a class whose members cannot be read (a field of an optional type that is absent): such a class
   * cannot carry a usable reference.
   */
  private static List<Object> annotatedMembers(Class<?> type) {
    List<Object> found = new ArrayList<>();
    List<Class<?>> hierarchy = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (!c.getName().startsWith("java.") && !c.getName().startsWith("org.springframework.")) {
        hierarchy.add(0, c);
      }
    }
    for (Class<?> c : hierarchy) {
      Field[] fields;
      Method[] methods;
      try {
        fields = c.getDeclaredFields();
        methods = c.getDeclaredMethods();
      } catch (LinkageError unreadable) {
        continue;
      }
      for (Field field : fields) {
        if (field.isAnnotationPresent(RpcReference.class)) {
          if (Modifier.isStatic(field.getModifiers())) {
            throw new CourierConfigurationException("@RpcReference on " + InjectionPoints.describe(field), null,
                "is on a static field", "Make the field an instance field; stubs are injected into beans.", null);
          }
          found.add(field);
        }
      }
      for (Method method : methods) {
        if (method.isAnnotationPresent(RpcReference.class) && !method.isBridge()) {
          if (method.getParameterCount() != 1 || Modifier.isStatic(method.getModifiers())) {
            throw new CourierConfigurationException("@RpcReference on " + InjectionPoints.describe(method), null,
                "is on a method that does not take exactly one argument",
                "Annotate a setter, a field or a constructor parameter.", null);
          }
          found.add(method);
        }
      }
    }
    return List.copyOf(found);
  }
}
