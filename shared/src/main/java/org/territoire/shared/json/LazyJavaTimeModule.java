package org.territoire.shared.json;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.KeyDeserializers;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.ValueInstantiators;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.Serializers;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.CollectionLikeType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapLikeType;
import com.fasterxml.jackson.databind.type.MapType;
import com.fasterxml.jackson.databind.type.ReferenceType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.JavaTimeDeserializerModifier;
import com.fasterxml.jackson.datatype.jsr310.ser.JavaTimeSerializerModifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Jackson's {@link JavaTimeModule}, set up the first time the mapper meets a {@code java.time}
 * type rather than when the mapper is built. Its setup makes some 40 serializers and
 * deserializers (about 70 classes, with their formatters) that most first requests never use:
 * answers write {@code Instant}s with the kernel's own serializer ({@code Json.Times}), and only
 * some request bodies and answers carry another {@code java.time} type. Measured
 * (docs/benchmarks.md): 70 classes fewer in each function's cold start; the time module cost
 * 60 ms of CPU in the lever probe's process, too little to show in the whole process's CPU
 * on the shared benchmark machine.
 *
 * <p>What it does is exactly what {@link JavaTimeModule} does: the first lookup of a type in
 * {@code java.time} (or a subpackage) runs {@code JavaTimeModule.setupModule} against a context
 * that records what it registers, and every later lookup of such a type is answered by those
 * (de)serializers, key (de)serializers and value instantiators, in the order Jackson would have
 * consulted them. Lookups of other types never reach them (they are keyed by {@code java.time}
 * classes, so they could not have answered). The enum modifiers ({@code java.time.Month}) are
 * two small classes, registered at once. {@code LazyJavaTimeModuleTest} checks that both
 * mappers read and write every {@code java.time} type alike, errors included.
 */
final class LazyJavaTimeModule extends Module {
    private volatile Registered registered;

    /** What JavaTimeModule's setup registered, in registration order. */
    record Registered(List<Serializers> serializers, List<Serializers> keySerializers, List<Deserializers> deserializers,
                      List<KeyDeserializers> keyDeserializers, List<ValueInstantiators> instantiators) {
    }

    @Override
    public String getModuleName() {
        return "lazy-jsr310";
    }

    @Override
    public Version version() {
        // JavaTimeModule's own version, without making one: linking that class verifies its setup,
        // which loads every (de)serializer the setup names (found with -Xlog:class+load+cause).
        return com.fasterxml.jackson.datatype.jsr310.PackageVersion.VERSION;
    }

    /** Whether a {@code java.time} type has been met yet (for tests). */
    boolean isSetUp() {
        return registered != null;
    }

    static boolean isTime(Class<?> type) {
        return type != null && type.getPackageName().startsWith("java.time");
    }

    static boolean isTime(JavaType type) {
        return type != null && isTime(type.getRawClass());
    }

    private Registered registered() {
        Registered r = registered;
        if (r == null) {
            synchronized (this) {
                r = registered;
                if (r == null) {
                    r = record(new JavaTimeModule());
                    registered = r;
                }
            }
        }
        return r;
    }

    /**
     * Runs the module's setup against a context that only records: any other call of the
     * context (a Jackson upgrade that makes the module use more of it) fails loudly.
     */
    static Registered record(Module module) {
        Registered r = new Registered(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Module.SetupContext context = (Module.SetupContext) Proxy.newProxyInstance(Module.SetupContext.class.getClassLoader(),
                new Class<?>[] {Module.SetupContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "addSerializers" -> r.serializers().add((Serializers) args[0]);
                        case "addKeySerializers" -> r.keySerializers().add((Serializers) args[0]);
                        case "addDeserializers" -> r.deserializers().add((Deserializers) args[0]);
                        case "addKeyDeserializers" -> r.keyDeserializers().add((KeyDeserializers) args[0]);
                        case "addValueInstantiators" -> r.instantiators().add((ValueInstantiators) args[0]);
                        // Registered at once by setupModule below, with the same (default) feature.
                        case "addBeanSerializerModifier", "addBeanDeserializerModifier" -> {
                        }
                        default -> throw new UnsupportedOperationException("JavaTimeModule called SetupContext." + method.getName()
                                + ": LazyJavaTimeModule must learn it");
                    }
                    return null;
                });
        module.setupModule(context);
        return r;
    }

    /** Jackson consults the providers of one kind from the last registered to the first. */
    private static <P, T> T first(List<P> providers, Function<P, T> find) {
        for (int i = providers.size() - 1; i >= 0; i--) {
            T found = find.apply(providers.get(i));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Override
    public void setupModule(SetupContext context) {
        // JavaTimeModule's own, with ONE_BASED_MONTHS at its default (off).
        context.addBeanSerializerModifier(new JavaTimeSerializerModifier(false));
        context.addBeanDeserializerModifier(new JavaTimeDeserializerModifier(false));
        context.addSerializers(new LazySerializers(false));
        context.addKeySerializers(new LazySerializers(true));
        context.addDeserializers(new LazyDeserializers());
        context.addKeyDeserializers((type, config, beanDesc) -> {
            if (!isTime(type)) {
                return null;
            }
            try {
                return first(registered().keyDeserializers(), k -> find(k, type, config, beanDesc));
            } catch (Rethrown e) {
                throw (JsonMappingException) e.getCause();
            }
        });
        context.addValueInstantiators(new ValueInstantiators.Base() {
            @Override
            public ValueInstantiator findValueInstantiator(DeserializationConfig config, BeanDescription beanDesc, ValueInstantiator defaultInstantiator) {
                if (!isTime(beanDesc.getBeanClass())) {
                    return defaultInstantiator;
                }
                ValueInstantiator v = defaultInstantiator;
                // Each provider gets the previous one's answer, as Jackson chains them.
                List<ValueInstantiators> all = registered().instantiators();
                for (int i = all.size() - 1; i >= 0; i--) {
                    v = all.get(i).findValueInstantiator(config, beanDesc, v);
                }
                return v;
            }
        });
    }

    private static KeyDeserializer find(KeyDeserializers k, JavaType type, DeserializationConfig config, BeanDescription beanDesc) {
        try {
            return k.findKeyDeserializer(type, config, beanDesc);
        } catch (JsonMappingException e) {
            throw new Rethrown(e);
        }
    }

    /** Carries a lookup's checked exception out of a lambda; unwrapped by the caller. */
    private static final class Rethrown extends RuntimeException {
        Rethrown(JsonMappingException cause) {
            super(cause);
        }
    }

    private final class LazySerializers implements Serializers {
        private final boolean keys;

        LazySerializers(boolean keys) {
            this.keys = keys;
        }

        private List<Serializers> inner() {
            return keys ? registered().keySerializers() : registered().serializers();
        }

        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription beanDesc) {
            return isTime(type) ? first(inner(), s -> s.findSerializer(config, type, beanDesc)) : null;
        }

        @Override
        public JsonSerializer<?> findReferenceSerializer(SerializationConfig config, ReferenceType type, BeanDescription beanDesc,
                                                         TypeSerializer contentTypeSerializer, JsonSerializer<Object> contentValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findReferenceSerializer(config, type, beanDesc, contentTypeSerializer,
                    contentValueSerializer)) : null;
        }

        @Override
        public JsonSerializer<?> findArraySerializer(SerializationConfig config, ArrayType type, BeanDescription beanDesc,
                                                     TypeSerializer elementTypeSerializer, JsonSerializer<Object> elementValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findArraySerializer(config, type, beanDesc, elementTypeSerializer,
                    elementValueSerializer)) : null;
        }

        @Override
        public JsonSerializer<?> findCollectionSerializer(SerializationConfig config, CollectionType type, BeanDescription beanDesc,
                                                          TypeSerializer elementTypeSerializer, JsonSerializer<Object> elementValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findCollectionSerializer(config, type, beanDesc, elementTypeSerializer,
                    elementValueSerializer)) : null;
        }

        @Override
        public JsonSerializer<?> findCollectionLikeSerializer(SerializationConfig config, CollectionLikeType type, BeanDescription beanDesc,
                                                              TypeSerializer elementTypeSerializer, JsonSerializer<Object> elementValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findCollectionLikeSerializer(config, type, beanDesc, elementTypeSerializer,
                    elementValueSerializer)) : null;
        }

        @Override
        public JsonSerializer<?> findMapSerializer(SerializationConfig config, MapType type, BeanDescription beanDesc,
                                                   JsonSerializer<Object> keySerializer, TypeSerializer elementTypeSerializer,
                                                   JsonSerializer<Object> elementValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findMapSerializer(config, type, beanDesc, keySerializer, elementTypeSerializer,
                    elementValueSerializer)) : null;
        }

        @Override
        public JsonSerializer<?> findMapLikeSerializer(SerializationConfig config, MapLikeType type, BeanDescription beanDesc,
                                                       JsonSerializer<Object> keySerializer, TypeSerializer elementTypeSerializer,
                                                       JsonSerializer<Object> elementValueSerializer) {
            return isTime(type) ? first(inner(), s -> s.findMapLikeSerializer(config, type, beanDesc, keySerializer, elementTypeSerializer,
                    elementValueSerializer)) : null;
        }
    }

    /** The checked lookups of {@link Deserializers}, through {@link #first}. */
    @FunctionalInterface
    private interface Lookup<T> {
        T find(Deserializers d) throws JsonMappingException;
    }

    private final class LazyDeserializers implements Deserializers {
        private <T> T lookup(Class<?> raw, Lookup<T> lookup) throws JsonMappingException {
            if (!isTime(raw)) {
                return null;
            }
            try {
                return first(registered().deserializers(), d -> {
                    try {
                        return lookup.find(d);
                    } catch (JsonMappingException e) {
                        throw new Rethrown(e);
                    }
                });
            } catch (Rethrown e) {
                throw (JsonMappingException) e.getCause();
            }
        }

        @Override
        public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config, BeanDescription beanDesc)
                throws JsonMappingException {
            return lookup(type, d -> d.findEnumDeserializer(type, config, beanDesc));
        }

        @Override
        public JsonDeserializer<?> findTreeNodeDeserializer(Class<? extends com.fasterxml.jackson.databind.JsonNode> nodeType,
                                                            DeserializationConfig config, BeanDescription beanDesc) throws JsonMappingException {
            return lookup(nodeType, d -> d.findTreeNodeDeserializer(nodeType, config, beanDesc));
        }

        @Override
        public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config, BeanDescription beanDesc)
                throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findBeanDeserializer(type, config, beanDesc));
        }

        @Override
        public JsonDeserializer<?> findReferenceDeserializer(ReferenceType refType, DeserializationConfig config, BeanDescription beanDesc,
                                                             TypeDeserializer contentTypeDeserializer, JsonDeserializer<?> contentDeserializer)
                throws JsonMappingException {
            return lookup(refType.getRawClass(), d -> d.findReferenceDeserializer(refType, config, beanDesc, contentTypeDeserializer,
                    contentDeserializer));
        }

        @Override
        public JsonDeserializer<?> findArrayDeserializer(ArrayType type, DeserializationConfig config, BeanDescription beanDesc,
                                                         TypeDeserializer elementTypeDeserializer, JsonDeserializer<?> elementDeserializer)
                throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findArrayDeserializer(type, config, beanDesc, elementTypeDeserializer,
                    elementDeserializer));
        }

        @Override
        public JsonDeserializer<?> findCollectionDeserializer(CollectionType type, DeserializationConfig config, BeanDescription beanDesc,
                                                              TypeDeserializer elementTypeDeserializer, JsonDeserializer<?> elementDeserializer)
                throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findCollectionDeserializer(type, config, beanDesc, elementTypeDeserializer,
                    elementDeserializer));
        }

        @Override
        public JsonDeserializer<?> findCollectionLikeDeserializer(CollectionLikeType type, DeserializationConfig config,
                                                                  BeanDescription beanDesc, TypeDeserializer elementTypeDeserializer,
                                                                  JsonDeserializer<?> elementDeserializer) throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findCollectionLikeDeserializer(type, config, beanDesc, elementTypeDeserializer,
                    elementDeserializer));
        }

        @Override
        public JsonDeserializer<?> findMapDeserializer(MapType type, DeserializationConfig config, BeanDescription beanDesc,
                                                       KeyDeserializer keyDeserializer, TypeDeserializer elementTypeDeserializer,
                                                       JsonDeserializer<?> elementDeserializer) throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findMapDeserializer(type, config, beanDesc, keyDeserializer, elementTypeDeserializer,
                    elementDeserializer));
        }

        @Override
        public JsonDeserializer<?> findMapLikeDeserializer(MapLikeType type, DeserializationConfig config, BeanDescription beanDesc,
                                                           KeyDeserializer keyDeserializer, TypeDeserializer elementTypeDeserializer,
                                                           JsonDeserializer<?> elementDeserializer) throws JsonMappingException {
            return lookup(type.getRawClass(), d -> d.findMapLikeDeserializer(type, config, beanDesc, keyDeserializer,
                    elementTypeDeserializer, elementDeserializer));
        }

        @Override
        public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
            return isTime(valueType) && registered().deserializers().stream().anyMatch(d -> d.hasDeserializerFor(config, valueType));
        }
    }
}
