package io.courier.transport.http2;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import io.courier.common.MethodDescriptor;
import io.courier.common.MethodKind;
import io.courier.common.ServiceDescriptor;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What gRPC server reflection answers from, built once when the server starts: the services it lists and the
 * {@code .proto} files that describe them, indexed by file name, symbol and extension. Immutable once built.
 *
 * <p>A service is listed only if every method's request and response are protobuf message classes (one request
 * parameter for a unary method; a one-way method has no response message, so its service is left out). Its
 * declaration is, in this order: the one in the {@link ReflectionFiles} given, or in one of its messages' files (or
 * their dependencies), which must then agree with the Java interface (names, message types, streaming); else one
 * written from the Java interface, in a file named {@code courier/services/<service>.proto} that imports the
 * messages' files.
 */
final class ReflectionIndex {

  private static final Logger log = LoggerFactory.getLogger(ReflectionIndex.class);

  /** Where the service declarations written from Java interfaces are, by name. */
  static final String WRITTEN_FILES = "courier/services/";

  private final List<String> services;
  private final Map<String, FileDescriptor> files = new HashMap<>();
  private final Map<String, FileDescriptor> symbols = new HashMap<>();
  private final Set<String> messageTypes = new HashSet<>();
  private final Map<String, Map<Integer, FileDescriptor>> extensions = new HashMap<>();
  private final Map<String, ByteString> encoded = new HashMap<>();

  private ReflectionIndex(List<String> services, List<FileDescriptor> roots) {
    this.services = List.copyOf(services);
    Queue<FileDescriptor> frontier = new ArrayDeque<>(roots);
    while (!frontier.isEmpty()) {
      FileDescriptor file = frontier.remove();
      if (files.putIfAbsent(file.getName(), file) != null) {
        continue;
      }
      encoded.put(file.getName(), file.toProto().toByteString());
      for (Descriptors.ServiceDescriptor service : file.getServices()) {
        symbol(service.getFullName(), file);
        for (Descriptors.MethodDescriptor method : service.getMethods()) {
          symbol(method.getFullName(), file);
        }
      }
      file.getMessageTypes().forEach(type -> message(type, file));
      file.getEnumTypes().forEach(type -> symbol(type.getFullName(), file));
      file.getExtensions().forEach(extension -> extension(extension, file));
      frontier.addAll(file.getDependencies());
    }
  }

  private void message(Descriptor type, FileDescriptor file) {
    symbol(type.getFullName(), file);
    messageTypes.add(type.getFullName());
    type.getNestedTypes().forEach(nested -> message(nested, file));
    for (EnumDescriptor nested : type.getEnumTypes()) {
      symbol(nested.getFullName(), file);
    }
    type.getExtensions().forEach(extension -> extension(extension, file));
  }

  private void extension(FieldDescriptor extension, FileDescriptor file) {
    symbol(extension.getFullName(), file);
    extensions.computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
        .putIfAbsent(extension.getNumber(), file);
  }

  /** The first file to declare a symbol keeps it (two copies of one file under different names declare it twice). */
  private void symbol(String name, FileDescriptor file) {
    FileDescriptor first = symbols.putIfAbsent(name, file);
    if (first != null && first != file && log.isDebugEnabled()) {
      log.debug("reflection: {} is declared in {} and in {}; answering with {}", name, first.getName(),
          file.getName(), first.getName());
    }
  }

  /**
   * The index of {@code services} (in this order), their declarations looked for first in {@code declared}.
   *
   * @throws IllegalArgumentException if a service's declaration in a {@code .proto} file disagrees with its Java
   *     interface
   */
  static ReflectionIndex of(List<ServiceDescriptor> services, List<FileDescriptor> declared) {
    List<String> listed = new ArrayList<>();
    List<FileDescriptor> roots = new ArrayList<>();
    for (ServiceDescriptor service : services) {
      Map<MethodDescriptor, Descriptor[]> types = messageTypes(service);
      if (types == null) {
        continue;
      }
      FileDescriptor file = declaration(service, types, declared);
      if (file == null) {
        file = written(service, types);
      }
      if (file != null && !listed.contains(service.name())) {
        listed.add(service.name());
        roots.add(file);
      }
    }
    return new ReflectionIndex(listed, roots);
  }

  /**
   * Each method's request and response message types, or {@code null} (logged) if one of them is not a protobuf
   * message class.
   */
  private static Map<MethodDescriptor, Descriptor[]> messageTypes(
      ServiceDescriptor service) {
    Map<MethodDescriptor, Descriptor[]> types = new LinkedHashMap<>();
    for (MethodDescriptor method : service.methods()) {
      Descriptor request = method.requestTypes().length == 1 ? messageType(method.requestTypes()[0]) : null;
      Descriptor response = method.isOneWay() ? null : messageType(method.responseType());
      if (request == null || response == null) {
        log.info("reflection: service {} is not listed: its method {} {} (expected: one protobuf message class as"
            + " the request and one as the response, for every method)", service.name(), method.name(),
            method.isOneWay() ? "is one-way" : "takes or returns something else");
        return null;
      }
      types.put(method, new Descriptor[] {request, response});
    }
    return types.isEmpty() ? null : types;
  }

  /** The message type of a generated protobuf message class, or {@code null}. */
  private static Descriptor messageType(Type type) {
    Class<?> raw = ServiceDescriptor.rawClass(type);
    if (!Message.class.isAssignableFrom(raw) || raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
      return null;
    }
    try {
      return Internal.getDefaultInstance(raw.asSubclass(Message.class)).getDescriptorForType();
    } catch (RuntimeException notGenerated) {
      return null; // a Message class without a static getDefaultInstance(), such as DynamicMessage
    }
  }

  /** The file that declares {@code service} among {@code declared}, the messages' files and their dependencies. */
  private static FileDescriptor declaration(ServiceDescriptor service,
      Map<MethodDescriptor, Descriptor[]> types, List<FileDescriptor> declared) {
    Set<FileDescriptor> candidates = new LinkedHashSet<>();
    declared.forEach(file -> withDependencies(file, candidates));
    types.values().forEach(pair -> {
      withDependencies(pair[0].getFile(), candidates);
      withDependencies(pair[1].getFile(), candidates);
    });
    for (FileDescriptor file : candidates) {
      for (Descriptors.ServiceDescriptor proto : file.getServices()) {
        if (proto.getFullName().equals(service.name())) {
          checkAgrees(service, types, proto);
          return file;
        }
      }
    }
    return null;
  }

  private static void withDependencies(FileDescriptor file, Set<FileDescriptor> into) {
    if (into.add(file)) {
      file.getDependencies().forEach(dependency -> withDependencies(dependency, into));
    }
  }

  /** Every Java method is declared in {@code proto} with the same messages and streaming; it may declare more. */
  private static void checkAgrees(ServiceDescriptor service,
      Map<MethodDescriptor, Descriptor[]> types, Descriptors.ServiceDescriptor proto) {
    for (Map.Entry<MethodDescriptor, Descriptor[]> entry : types.entrySet()) {
      MethodDescriptor method = entry.getKey();
      Descriptors.MethodDescriptor declared = proto.findMethodByName(method.name());
      String java = describe(entry.getValue()[0].getFullName(), entry.getValue()[1].getFullName(),
          streamsRequests(method.kind()), streamsResponses(method.kind()));
      if (declared == null) {
        throw new IllegalArgumentException("reflection: service " + service.name() + " of " + proto.getFile()
            .getName() + " declares no method " + method.name() + " (expected: " + java + ", as " + method.method()
            + " in " + service.type().getName() + ")");
      }
      String protoDeclares = describe(declared.getInputType().getFullName(), declared.getOutputType().getFullName(),
          declared.isClientStreaming(), declared.isServerStreaming());
      if (!protoDeclares.equals(java)) {
        throw new IllegalArgumentException("reflection: method " + method.fullName() + " is " + protoDeclares + " in "
            + proto.getFile().getName() + " (expected: " + java + ", as " + service.type().getName() + " declares it)");
      }
    }
  }

  private static String describe(String request, String response, boolean streamsRequests, boolean streamsResponses) {
    return "(" + (streamsRequests ? "stream " : "") + request + ") returns (" + (streamsResponses ? "stream " : "")
        + response + ")";
  }

  private static boolean streamsRequests(MethodKind kind) {
    return kind == MethodKind.CLIENT_STREAMING || kind == MethodKind.BIDI_STREAMING;
  }

  private static boolean streamsResponses(MethodKind kind) {
    return kind == MethodKind.SERVER_STREAMING || kind == MethodKind.BIDI_STREAMING;
  }

  /**
   * A file declaring {@code service} as its Java interface does, importing its messages' files; {@code null}
   * (logged) if protobuf refuses it, as for a service name that is not a protobuf name.
   */
  private static FileDescriptor written(ServiceDescriptor service,
      Map<MethodDescriptor, Descriptor[]> types) {
    String name = service.name();
    int dot = name.lastIndexOf('.');
    ServiceDescriptorProto.Builder declaration = ServiceDescriptorProto.newBuilder()
        .setName(name.substring(dot + 1));
    Map<String, FileDescriptor> imports = new LinkedHashMap<>();
    for (Map.Entry<MethodDescriptor, Descriptor[]> entry : types.entrySet()) {
      Descriptor request = entry.getValue()[0];
      Descriptor response = entry.getValue()[1];
      MethodKind kind = entry.getKey().kind();
      declaration.addMethod(MethodDescriptorProto.newBuilder().setName(entry.getKey().name())
          .setInputType("." + request.getFullName()).setOutputType("." + response.getFullName())
          .setClientStreaming(streamsRequests(kind)).setServerStreaming(streamsResponses(kind)));
      imports.putIfAbsent(request.getFile().getName(), request.getFile());
      imports.putIfAbsent(response.getFile().getName(), response.getFile());
    }
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName(WRITTEN_FILES + name + ".proto")
        .setSyntax("proto3").addAllDependency(imports.keySet()).addService(declaration);
    if (dot > 0) {
      file.setPackage(name.substring(0, dot));
    }
    Set<FileDescriptor> imported = new LinkedHashSet<>();
    imports.values().forEach(dependency -> withDependencies(dependency, imported));
    Set<String> declared = new HashSet<>();
    imported.forEach(dependency -> declaredNames(dependency, declared));
    try {
      if (declared.contains(name)) {
        throw new IllegalArgumentException(name + " is already declared in an imported file");
      }
      return FileDescriptor.buildFrom(file.build(), imports.values().toArray(new FileDescriptor[0]));
    } catch (DescriptorValidationException | RuntimeException e) {
      log.warn("reflection: service {} is not listed: protobuf cannot declare it ({}) (expected: a service name that"
          + " is a protobuf full name, package.Service, naming nothing its messages' files declare)", name,
          e.getMessage());
      return null;
    }
  }

  /** The full names of what {@code file} declares at any depth: messages, enums, services, extensions. */
  private static void declaredNames(FileDescriptor file, Set<String> into) {
    file.getServices().forEach(service -> into.add(service.getFullName()));
    file.getEnumTypes().forEach(type -> into.add(type.getFullName()));
    file.getExtensions().forEach(extension -> into.add(extension.getFullName()));
    file.getMessageTypes().forEach(type -> declaredNames(type, into));
  }

  private static void declaredNames(Descriptor type, Set<String> into) {
    into.add(type.getFullName());
    type.getEnumTypes().forEach(nested -> into.add(nested.getFullName()));
    type.getExtensions().forEach(extension -> into.add(extension.getFullName()));
    type.getNestedTypes().forEach(nested -> declaredNames(nested, into));
  }

  /** The listed services' full names, in export order. */
  List<String> services() {
    return services;
  }

  /** The file of this name, or {@code null}. */
  FileDescriptor file(String name) {
    return files.get(name);
  }

  /** The file that declares a service, method, message, enum or extension of this full name, or {@code null}. */
  FileDescriptor fileDeclaring(String symbol) {
    return symbols.get(symbol);
  }

  /** The file that declares extension {@code number} of message type {@code type}, or {@code null}. */
  FileDescriptor fileExtending(String type, int number) {
    Map<Integer, FileDescriptor> numbers = extensions.get(type);
    return numbers == null ? null : numbers.get(number);
  }

  /** The extension numbers of message type {@code type}, ascending (none for most), or {@code null} if unknown. */
  Set<Integer> extensionNumbers(String type) {
    if (!messageTypes.contains(type)) {
      return null;
    }
    return Collections.unmodifiableSet(extensions.getOrDefault(type, Map.of()).keySet());
  }

  /** {@code file} and every file it imports, transitively, each once, {@code file} first, as encoded protos. */
  List<ByteString> withDependencies(FileDescriptor file) {
    List<ByteString> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Queue<FileDescriptor> frontier = new ArrayDeque<>();
    frontier.add(file);
    seen.add(file.getName());
    while (!frontier.isEmpty()) {
      FileDescriptor next = frontier.remove();
      ByteString bytes = encoded.get(next.getName());
      out.add(bytes != null ? bytes : next.toProto().toByteString());
      for (FileDescriptor dependency : next.getDependencies()) {
        if (seen.add(dependency.getName())) {
          frontier.add(dependency);
        }
      }
    }
    return out;
  }
}
