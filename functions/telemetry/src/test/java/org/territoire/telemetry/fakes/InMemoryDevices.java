package org.territoire.telemetry.fakes;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;

/** Devices in memory, with the same contract as the table's: ids unique, last heard only moves forward. */
public final class InMemoryDevices implements DeviceRepository {
    public final Map<String, Device> devices = new ConcurrentHashMap<>();
    public final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    public int finds;

    @Override
    public synchronized boolean create(Device device) {
        if (devices.putIfAbsent(device.id(), device) != null) {
            return false;
        }
        lastSeen.put(device.id(), device.createdAt());
        return true;
    }

    @Override
    public Optional<Device> find(String id) {
        finds++;
        return Optional.ofNullable(devices.get(id));
    }

    @Override
    public void delete(String id) {
        devices.remove(id);
        lastSeen.remove(id);
    }

    @Override
    public List<Device> ofOwner(String ownerId) {
        return devices.values().stream().filter(d -> Objects.equals(d.ownerId(), ownerId)).sorted(Comparator.comparing(Device::id)).toList();
    }

    @Override
    public List<Device> all() {
        return devices.values().stream().sorted(Comparator.comparing(Device::id)).toList();
    }

    @Override
    public List<Device> inDistrict(String district, DeviceKind kind) {
        return devices.values().stream().filter(d -> d.district().equals(district) && d.kind() == kind)
                .sorted(Comparator.comparing(Device::id)).toList();
    }

    /** The last time heard from and offline marks, as the tests set them (devices never heard from are absent). */
    public final Map<String, LastHeard> heard = new ConcurrentHashMap<>();

    @Override
    public Page<Device> territory(Optional<String> district, Optional<DeviceKind> kind, int limit, Optional<String> token) {
        int from = token.map(Integer::parseInt).orElse(0);
        List<Device> listed = devices.values().stream().filter(d -> district.map(d.district()::equals).orElse(true) && kind.map(k -> k == d.kind()).orElse(true))
                .sorted(Comparator.comparing(Device::district).thenComparing(d -> d.kind().name()).thenComparing(Device::id)).toList();
        int to = Math.min(listed.size(), from + limit);
        return new Page<>(listed.subList(from, to), to < listed.size() ? Integer.toString(to) : null);
    }

    @Override
    public Map<String, LastHeard> lastHeard(List<String> ids) {
        Map<String, LastHeard> found = new java.util.HashMap<>();
        ids.forEach(id -> Optional.ofNullable(heard.get(id)).ifPresent(h -> found.put(id, h)));
        return found;
    }

    @Override
    public Page<Device> silentSince(Instant before, int limit, Optional<String> token) {
        int from = token.map(Integer::parseInt).orElse(0);
        List<Device> silent = devices.values().stream().filter(d -> lastSeen.get(d.id()).isBefore(before))
                .sorted(Comparator.comparing((Device d) -> lastSeen.get(d.id())).thenComparing(Device::id)).toList();
        int to = Math.min(silent.size(), from + limit);
        return new Page<>(silent.subList(from, to), to < silent.size() ? Integer.toString(to) : null);
    }

    @Override
    public void heardFrom(Device device, Instant at, boolean first) {
        lastSeen.computeIfPresent(device.id(), (id, seen) -> at.isAfter(seen) ? at : seen);
    }
}
