package org.territoire.feedback.catalogue;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.http.Caller;
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
                Boolean.TRUE.equals(command.experimental()), clock.instant(), caller.id());
        repository.create(service);
        return service;
    }

    public Optional<TerritoryService> find(String id) {
        return repository.find(id);
    }

    public TerritoryService get(String id) {
        return repository.find(id).orElseThrow(() -> ApiException.notFound("no service " + id));
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
