package org.territoire.local.runtime;

import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.HostResolver;
import software.amazon.awssdk.crt.mqtt.MqttClient;

/** The IoT Device SDK's MQTT client and the event loop it runs on, for tests that connect to the local IoT Core. */
final class DeviceSdkMqtt implements AutoCloseable {
    private final EventLoopGroup loop = new EventLoopGroup(1);
    private final HostResolver resolver = new HostResolver(loop);
    final ClientBootstrap bootstrap = new ClientBootstrap(loop, resolver);
    final MqttClient client = new MqttClient(bootstrap);

    @Override
    public void close() {
        client.close();
        bootstrap.close();
        resolver.close();
        loop.close();
    }
}
