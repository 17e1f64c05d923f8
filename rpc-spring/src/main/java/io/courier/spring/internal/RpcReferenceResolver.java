package io.courier.spring.internal;

import io.courier.spring.RpcReference;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinitionHolder;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;

/**
 * Answers dependencies annotated {@link RpcReference} — constructor and {@code @Bean} method parameters, and
 * {@code @Autowired} fields — with a stub from {@link Stubs}, before Spring looks for candidate beans; everything
 * else is left to the resolver it replaces. It stays a {@link ContextAnnotationAutowireCandidateResolver} so that
 * Spring keeps it. Invariant: {@code delegate} is {@code null} when the replaced resolver was Spring's own.
 */
final class RpcReferenceResolver extends ContextAnnotationAutowireCandidateResolver {

  private final BeanFactory beanFactory;
  private final AutowireCandidateResolver delegate;

  private RpcReferenceResolver(BeanFactory beanFactory, AutowireCandidateResolver delegate) {
    this.beanFactory = beanFactory;
    this.delegate = delegate;
    setBeanFactory(beanFactory);
  }

  /** Puts a resolver in {@code beanFactory} in front of the one it has; idempotent. */
  static void install(DefaultListableBeanFactory beanFactory) {
    AutowireCandidateResolver current = beanFactory.getAutowireCandidateResolver();
    if (current instanceof RpcReferenceResolver) {
      return;
    }
    AutowireCandidateResolver delegate = current.getClass() == ContextAnnotationAutowireCandidateResolver.class
        ? null : current;
    beanFactory.setAutowireCandidateResolver(new RpcReferenceResolver(beanFactory, delegate));
  }

  @Override
  public Object getSuggestedValue(DependencyDescriptor descriptor) {
    RpcReference reference = descriptor.getAnnotation(RpcReference.class);
    if (reference != null) {
      return beanFactory.getBean(Stubs.class).stub(descriptor.getDependencyType(), reference,
          InjectionPoints.describe(descriptor));
    }
    return delegate != null ? delegate.getSuggestedValue(descriptor) : super.getSuggestedValue(descriptor);
  }

  @Override
  public boolean isAutowireCandidate(BeanDefinitionHolder holder, DependencyDescriptor descriptor) {
    return delegate != null ? delegate.isAutowireCandidate(holder, descriptor)
        : super.isAutowireCandidate(holder, descriptor);
  }

  @Override
  public boolean isRequired(DependencyDescriptor descriptor) {
    return delegate != null ? delegate.isRequired(descriptor) : super.isRequired(descriptor);
  }

  @Override
  public boolean hasQualifier(DependencyDescriptor descriptor) {
    return delegate != null ? delegate.hasQualifier(descriptor) : super.hasQualifier(descriptor);
  }

  @Override
  public String getSuggestedName(DependencyDescriptor descriptor) {
    return delegate != null ? delegate.getSuggestedName(descriptor) : super.getSuggestedName(descriptor);
  }

  @Override
  public Object getLazyResolutionProxyIfNecessary(DependencyDescriptor descriptor, String beanName) {
    return delegate != null ? delegate.getLazyResolutionProxyIfNecessary(descriptor, beanName)
        : super.getLazyResolutionProxyIfNecessary(descriptor, beanName);
  }

  @Override
  public Class<?> getLazyResolutionProxyClass(DependencyDescriptor descriptor, String beanName) {
    return delegate != null ? delegate.getLazyResolutionProxyClass(descriptor, beanName)
        : super.getLazyResolutionProxyClass(descriptor, beanName);
  }

  @Override
  public AutowireCandidateResolver cloneIfNecessary() {
    return new RpcReferenceResolver(beanFactory, delegate == null ? null : delegate.cloneIfNecessary());
  }
}
