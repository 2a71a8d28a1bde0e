package org.territoire.local.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.territoire.local.aws.IotPolicies;

/**
 * IoT Core's front door, locally: every device connection ends here, and only what IoT Core
 * would let through goes on to the broker behind it (Moquette, which speaks MQTT 3.1.1 only,
 * on a loopback port of its own). Per connection it
 * <ul>
 * <li>speaks MQTT 3.1.1 or MQTT 5 with the device (Netty's codec), and 3.1.1 with the broker;</li>
 * <li>authenticates the client ({@link Authenticator}: a registered thing's certificate, or the
 * local runtime's own operator) and checks {@code iot:Connect} for its client id;</li>
 * <li>checks every PUBLISH against {@code iot:Publish}, every SUBSCRIBE filter against
 * {@code iot:Subscribe}, and every message the broker delivers against {@code iot:Receive},
 * with the policies attached to the client's certificate;</li>
 * <li>disconnects a client that publishes where its policy does not allow, or asks for QoS 2
 * (IoT Core supports QoS 0 and 1 only and never acknowledges QoS 2);</li>
 * <li>hands Basic Ingest messages ({@code $aws/rules/<rule>/...}) to the rules engine and
 * acknowledges them itself: they never reach the broker, so no subscriber ever receives them.</li>
 * </ul>
 * See docs/decisions.md, "The local IoT Core authenticates things by their certificate".
 */
final class MqttGateway implements AutoCloseable {
    static final int MAX_MESSAGE_BYTES = 128 * 1024; // IoT Core's limit
    /** What a client may send between its CONNECT and its CONNACK. */
    static final int MAX_EARLY_MESSAGES = 32;

    /** A connected client: who it is and what its policies let it do. */
    record Principal(IotPolicy.Context context, List<IotPolicy> policies) {
        boolean may(String action, String resource) {
            return IotPolicy.allows(policies, action, IotPolicies.arn(resource), context);
        }
    }

    /** Who a CONNECT is from, or why it is refused. */
    interface Authenticator {
        /** The principal, or null when the credentials are not a registered thing's (or the operator's). */
        Principal authenticate(String clientId, String username, byte[] password);
    }

    /** Where Basic Ingest messages go: the rules engine. */
    interface BasicIngest {
        void route(String topic, String clientId, byte[] payload);
    }

    /** The broker's own credentials: only this gateway may connect to it. */
    record Upstream(int port, String username, byte[] password) {
    }

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Authenticator authenticator;
    private final BasicIngest ingest;
    private final Upstream upstream;
    private final ExecutorService blocking;
    private final Channel server;

    MqttGateway(int port, Authenticator authenticator, BasicIngest ingest, Upstream upstream, ExecutorService blocking) {
        this.authenticator = authenticator;
        this.ingest = ingest;
        this.upstream = upstream;
        this.blocking = blocking;
        try {
            server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("decoder", new MqttDecoder(MAX_MESSAGE_BYTES))
                                    .addLast("encoder", MqttEncoder.INSTANCE).addLast("device", new DeviceConnection());
                        }
                    }).bind("127.0.0.1", port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** One device's connection, and its own connection to the broker behind. */
    private final class DeviceConnection extends ChannelInboundHandlerAdapter {
        private Channel device;
        private volatile Channel broker;
        private volatile Principal principal;
        private volatile String clientId;
        private MqttVersion version = MqttVersion.MQTT_3_1_1;
        private boolean admitted;
        private final List<MqttMessage> early = new ArrayList<>();
        /** SUBSCRIBEs forwarded with only their allowed filters: the codes to put back in their SUBACK. */
        private final Map<Integer, int[]> partialSubscribes = new ConcurrentHashMap<>();
        private final Map<Integer, Integer> unsubscribes = new ConcurrentHashMap<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            device = ctx.channel();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            early.forEach(ReferenceCountUtil::release);
            early.clear();
            Channel b = broker;
            if (b != null) {
                b.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            MqttMessage message = (MqttMessage) msg;
            if (message.decoderResult().isFailure()) {
                // Netty answers an unsupported protocol level itself (MQTT 3.1 included); anything else malformed is dropped.
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            MqttMessageType type = message.fixedHeader().messageType();
            if (principal == null || !admitted) {
                if (clientId == null && type == MqttMessageType.CONNECT) {
                    connect((MqttConnectMessage) message);
                } else if (clientId != null && type != MqttMessageType.CONNECT) {
                    // MQTT lets a client send on right after its CONNECT: held until the connection is admitted,
                    // a few messages at most (a client that floods before its CONNACK is closed).
                    if (early.size() >= MAX_EARLY_MESSAGES) {
                        ReferenceCountUtil.release(msg);
                        ctx.close();
                        return;
                    }
                    early.add(message);
                } else {
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                }
                return;
            }
            handle(message);
        }

        private void handle(MqttMessage message) {
            MqttMessageType type = message.fixedHeader().messageType();
            switch (type) {
                case PUBLISH -> publish((MqttPublishMessage) message);
                case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message);
                case UNSUBSCRIBE -> {
                    MqttUnsubscribeMessage u = (MqttUnsubscribeMessage) message;
                    unsubscribes.put(u.variableHeader().messageId(), u.payload().topics().size());
                    var forwarded = MqttMessageBuilders.unsubscribe().messageId(u.variableHeader().messageId());
                    u.payload().topics().forEach(forwarded::addTopicFilter);
                    broker.writeAndFlush(forwarded.build());
                }
                case DISCONNECT -> {
                    broker.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)))
                            .addListener(ChannelFutureListener.CLOSE);
                    device.close();
                }
                case PUBACK -> broker.writeAndFlush(MqttMessageBuilders.pubAck()
                        .packetId(((MqttMessageIdVariableHeader) message.variableHeader()).messageId()).build());
                case PINGREQ -> broker.writeAndFlush(message);
                // A second CONNECT is a protocol violation; PUBREC/PUBREL/PUBCOMP belong to QoS 2, which IoT Core does not support.
                default -> {
                    ReferenceCountUtil.release(message);
                    refuse("MQTT " + type + " is not accepted here");
                }
            }
        }

        private void connect(MqttConnectMessage connect) {
            MqttConnectVariableHeader header = connect.variableHeader();
            MqttConnectPayload payload = connect.payload();
            version = MqttVersion.fromProtocolNameAndLevel(header.name(), (byte) header.version());
            clientId = payload.clientIdentifier();
            if (version == MqttVersion.MQTT_3_1) {
                // IoT Core speaks MQTT 3.1.1 and 5 (https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html).
                connAckAndClose(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
                return;
            }
            if (clientId == null || clientId.isEmpty()) {
                connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return;
            }
            if (!header.hasUserName() || !header.hasPassword()) {
                // Anonymous clients: IoT Core authenticates every connection (locally the certificate stands in for mTLS).
                connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                return;
            }
            device.config().setAutoRead(false);
            String username = payload.userName();
            byte[] password = payload.passwordInBytes();
            // Looking the thing up calls the local control plane: not on the event loop.
            blocking.submit(() -> {
                Principal who;
                try {
                    who = authenticator.authenticate(clientId, username, password);
                } catch (RuntimeException e) {
                    System.err.println("[iot] cannot authenticate " + clientId + ": " + e);
                    device.eventLoop().execute(() -> connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE));
                    return;
                }
                device.eventLoop().execute(() -> admit(connect, who));
            });
        }

        private void admit(MqttConnectMessage connect, Principal who) {
            if (who == null) {
                connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                        : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                return;
            }
            MqttConnectVariableHeader header = connect.variableHeader();
            MqttConnectPayload payload = connect.payload();
            boolean willAllowed = !header.isWillFlag() || (header.willQos() < 2 && who.may("iot:Publish", "topic/" + payload.willTopic())
                    && !payload.willTopic().startsWith(IotCoreEmulator.BASIC_INGEST));
            if (!who.may("iot:Connect", "client/" + clientId) || !willAllowed) {
                connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                return;
            }
            principal = who;
            // The broker sees the same client id (one session per thing, and a second connection takes over, as in IoT Core)
            // but the gateway's own credentials.
            MqttConnectMessage forwarded = new MqttConnectMessage(
                    new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttConnectVariableHeader("MQTT", MqttVersion.MQTT_3_1_1.protocolLevel(), true, true, header.isWillRetain(),
                            header.willQos(), header.isWillFlag(), header.isCleanSession(), header.keepAliveTimeSeconds()),
                    new MqttConnectPayload(clientId, header.isWillFlag() ? payload.willTopic() : null,
                            header.isWillFlag() ? payload.willMessageInBytes() : null, upstream.username(), upstream.password()));
            new Bootstrap().group(device.eventLoop()).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new MqttDecoder(MAX_MESSAGE_BYTES), MqttEncoder.INSTANCE, new BrokerConnection());
                        }
                    }).connect("127.0.0.1", upstream.port()).addListener((io.netty.channel.ChannelFuture f) -> {
                        if (!f.isSuccess()) {
                            connAckAndClose(v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                            return;
                        }
                        broker = f.channel();
                        broker.writeAndFlush(forwarded);
                    });
        }

        private void publish(MqttPublishMessage publish) {
            String topic = publish.variableHeader().topicName();
            int packetId = publish.variableHeader().packetId();
            MqttQoS qos = publish.fixedHeader().qosLevel();
            if (qos == MqttQoS.EXACTLY_ONCE) {
                // Not acknowledged, not delivered: https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html#mqtt-differences
                publish.release();
                refuse("QoS 2 is not supported");
                return;
            }
            if (topic == null || topic.isEmpty() || !principal.may("iot:Publish", "topic/" + topic)) {
                // IoT Core disconnects a client that publishes where its policy does not let it.
                publish.release();
                refuse("not authorized to publish on " + topic);
                return;
            }
            if (topic.startsWith(IotCoreEmulator.BASIC_INGEST)) {
                byte[] bytes = ByteBufUtil.getBytes(publish.payload());
                publish.release();
                ingest.route(topic, clientId, bytes);
                if (qos == MqttQoS.AT_LEAST_ONCE) {
                    device.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId).build());
                }
                return;
            }
            // To the broker as MQTT 3.1.1: MQTT 5 properties are left behind (the encoder writes none for 3.1.1).
            broker.writeAndFlush(publish);
        }

        private void subscribe(MqttSubscribeMessage subscribe) {
            int packetId = subscribe.variableHeader().messageId();
            List<MqttTopicSubscription> wanted = subscribe.payload().topicSubscriptions();
            int[] codes = new int[wanted.size()];
            List<MqttTopicSubscription> allowed = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                MqttTopicSubscription s = wanted.get(i);
                if (s.qualityOfService() == MqttQoS.EXACTLY_ONCE) {
                    // "does not send a PUBACK or SUBACK when QoS 2 is requested": and the client goes.
                    refuse("QoS 2 is not supported");
                    return;
                }
                if (principal.may("iot:Subscribe", "topicfilter/" + s.topicName())) {
                    codes[i] = -1;
                    allowed.add(new MqttTopicSubscription(s.topicName(), s.qualityOfService()));
                } else {
                    codes[i] = v5() ? 0x87 : 0x80; // Not authorized; in MQTT 3.1.1, Failure
                }
            }
            if (allowed.isEmpty()) {
                device.writeAndFlush(subAck(packetId, codes));
                return;
            }
            partialSubscribes.put(packetId, codes);
            broker.writeAndFlush(new MqttSubscribeMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    MqttMessageIdVariableHeader.from(packetId), new MqttSubscribePayload(allowed)));
        }

        private MqttSubAckMessage subAck(int packetId, int[] codes) {
            return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES), new MqttSubAckPayload(codes));
        }

        private boolean v5() {
            return version == MqttVersion.MQTT_5;
        }

        private void connAckAndClose(MqttConnectReturnCode code) {
            device.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build())
                    .addListener(ChannelFutureListener.CLOSE);
        }

        /** Drops the client: an MQTT 5 client is told why (DISCONNECT with a reason code), as IoT Core does. */
        private void refuse(String reason) {
            System.err.println("[iot] disconnecting " + clientId + ": " + reason);
            if (v5()) {
                byte code = reason.startsWith("QoS") ? (byte) 0x9B : (byte) 0x87;
                device.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(code).build()).addListener(ChannelFutureListener.CLOSE);
            } else {
                device.close();
            }
            Channel b = broker;
            if (b != null) {
                b.close();
            }
        }

        /** The broker's side of this client's connection. */
        private final class BrokerConnection extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                MqttMessage message = (MqttMessage) msg;
                switch (message.fixedHeader().messageType()) {
                    case CONNACK -> {
                        MqttConnAckMessage ack = (MqttConnAckMessage) message;
                        MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
                        boolean accepted = code == MqttConnectReturnCode.CONNECTION_ACCEPTED;
                        var reply = MqttMessageBuilders.connAck().sessionPresent(ack.variableHeader().isSessionPresent())
                                .returnCode(accepted || !v5() ? code : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5);
                        if (v5()) {
                            // What IoT Core announces to MQTT 5 clients: QoS 1 at most, no topic aliases from the client.
                            // (Built by hand: Netty 4.1.93's ConnAckPropertiesBuilder writes receiveMaximum as the maximum QoS.)
                            MqttProperties properties = new MqttProperties();
                            properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
                            properties.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 0));
                            reply.properties(properties);
                        }
                        device.writeAndFlush(reply.build());
                        if (accepted) {
                            admitted = true;
                            List<MqttMessage> held = new ArrayList<>(early);
                            early.clear();
                            held.forEach(DeviceConnection.this::handle);
                            device.config().setAutoRead(true);
                        } else {
                            device.close();
                        }
                    }
                    case PUBLISH -> {
                        MqttPublishMessage publish = (MqttPublishMessage) message;
                        if (principal.may("iot:Receive", "topic/" + publish.variableHeader().topicName())) {
                            device.writeAndFlush(publish);
                        } else {
                            // Subscribed but not allowed to receive this topic: IoT Core does not deliver it.
                            if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                                ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
                            }
                            publish.release();
                        }
                    }
                    case SUBACK -> {
                        MqttSubAckMessage ack = (MqttSubAckMessage) message;
                        int id = ack.variableHeader().messageId();
                        int[] codes = partialSubscribes.remove(id);
                        List<Integer> granted = ack.payload().reasonCodes();
                        if (codes == null) {
                            codes = granted.stream().mapToInt(Integer::intValue).toArray();
                        } else {
                            for (int i = 0, g = 0; i < codes.length; i++) {
                                if (codes[i] == -1) {
                                    codes[i] = g < granted.size() ? granted.get(g++) : 0x80;
                                }
                            }
                        }
                        device.writeAndFlush(subAck(id, codes));
                    }
                    case UNSUBACK -> {
                        int id = ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
                        int topics = unsubscribes.getOrDefault(id, 1);
                        unsubscribes.remove(id);
                        var reply = MqttMessageBuilders.unsubAck().packetId(id);
                        if (v5()) {
                            for (int i = 0; i < topics; i++) {
                                reply.addReasonCode((short) 0);
                            }
                        }
                        device.writeAndFlush(reply.build());
                    }
                    case PUBACK -> device.writeAndFlush(MqttMessageBuilders.pubAck()
                            .packetId(((MqttMessageIdVariableHeader) message.variableHeader()).messageId()).build());
                    case PINGRESP -> device.writeAndFlush(message);
                    default -> ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                device.close();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }
}
