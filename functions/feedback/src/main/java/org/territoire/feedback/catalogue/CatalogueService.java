package org.territoire.feedback.catalogue;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/** The catalogue's rules: who may add a service, and what a valid service is. */
public final class CatalogueService {
    static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

    private final ServiceRepository repository;
    private final Clock clock;
    private final Supplier<String> ids;

    public CatalogueService(ServiceRepository repository, Clock clock) {
        this(repository, clock, () -> UUID.randomUUID().toString());
    }

    CatalogueService(ServiceRepository repository, Clock clock, Supplier<String> ids) {
        this.repository = repository;
        this.clock = clock;
        this.ids = ids;
    }

    public TerritoryService create(Caller caller, CreateServiceCommand command) {
        String organisation = caller.organisationToActFor(command.organisationId());
        validate(command);
        List<String> districts = List.copyOf(new LinkedHashSet<>(command.districts().stream().map(String::strip).toList()));
        TerritoryService service = new TerritoryService(ids.get(), command.name().strip(),
                command.description() == null ? null : command.description().strip(), command.kind(),
                command.category(), organisation, districts, command.location(),
                Boolean.TRUE.equals(command.experimental()), clock.instant(), caller.id(), null);
        repository.create(service);
        return service;
    }

    /**
     * Edits a service: agents any, a provider its own organisation's. Its kind and operator do
     * not change (a body may repeat them, not alter them).
     */
    public TerritoryService update(Caller caller, String id, CreateServiceCommand command) {
        TerritoryService current = managed(caller, id);
        validate(command);
        new Validation().check(command.kind() == current.kind(), "kind", "cannot change; retire this service and create another")
                .check(command.organisationId() == null || command.organisationId().equals(current.organisationId()),
                        "organisationId", "cannot change; retire this service and create another")
                .throwIfInvalid();
        TerritoryService next = new TerritoryService(id, command.name().strip(),
                command.description() == null ? null : command.description().strip(), current.kind(), command.category(),
                current.organisationId(), List.copyOf(new LinkedHashSet<>(command.districts().stream().map(String::strip).toList())),
                command.location(), Boolean.TRUE.equals(command.experimental()), current.createdAt(), current.createdBy(), null);
        if (!repository.replace(next)) {
            throw DomainError.conflict("the service was retired meanwhile");
        }
        return next;
    }

    /** Retires a service: it leaves the catalogue; its evaluations and reports stay. */
    public TerritoryService retire(Caller caller, String id) {
        TerritoryService current = managed(caller, id);
        TerritoryService retired = new TerritoryService(id, current.name(), current.description(), current.kind(), current.category(),
                current.organisationId(), current.districts(), current.location(), current.experimental(), current.createdAt(),
                current.createdBy(), clock.instant());
        if (!repository.replace(retired)) {
            throw DomainError.conflict("the service was retired meanwhile");
        }
        return retired;
    }

    /** A service that takes new evaluations and reports: it exists and is not retired. */
    public TerritoryService active(String id) {
        TerritoryService service = get(id);
        if (service.retired()) {
            throw DomainError.conflict("this service was retired on " + service.retiredAt());
        }
        return service;
    }

    private TerritoryService managed(Caller caller, String id) {
        TerritoryService current = get(id);
        if (!caller.hasAny(Role.AGENT, Role.ADMIN) && !(caller.has(Role.PROVIDER) && caller.memberOf(current.organisationId()))) {
            throw DomainError.forbidden("only agents and the operating organisation's providers manage a service");
        }
        if (current.retired()) {
            throw DomainError.conflict("this service is retired");
        }
        return current;
    }

    public Optional<TerritoryService> find(String id) {
        return repository.find(id);
    }

    public TerritoryService get(String id) {
        return repository.find(id).orElseThrow(() -> DomainError.notFound("no such service"));
    }

    public Page<TerritoryService> list(Optional<ServiceKind> kind, int limit, Optional<String> pageToken) {
        return repository.list(kind, limit, pageToken);
    }

    static void validate(CreateServiceCommand c) {
        Validation v = new Validation()
                .text("name", c.name(), 2, 120, true)
                .text("description", c.description(), 1, 2000, false)
                .require("kind", c.kind())
                .require("category", c.category())
                .size("districts", c.districts(), 1, 50);
        if (c.kind() != null && c.category() != null) {
            v.check(c.kind().categories().contains(c.category()), "category",
                    "must be one of " + c.kind().categories() + " for kind " + c.kind());
        }
        if (c.districts() != null) {
            for (int i = 0; i < c.districts().size(); i++) {
                String d = c.districts().get(i);
                v.check(d != null && d.strip().matches(ID_PATTERN), "districts." + i,
                        "must be a district id: lower-case letters, digits and dashes");
            }
        }
        if (c.location() != null) {
            v.require("location.latitude", c.location().latitude())
                    .require("location.longitude", c.location().longitude())
                    .range("location.latitude", c.location().latitude(), -90, 90)
                    .range("location.longitude", c.location().longitude(), -180, 180);
        }
        v.throwIfInvalid();
    }
}
