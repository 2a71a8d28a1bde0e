package org.territoire.consultations.proposal;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.consultation.InMemoryConsultationRepository;
import org.territoire.shared.page.Page;

/**
 * The proposal port in memory, for unit tests of {@link ProposalService}. Writes that the
 * DynamoDB adapter conditions on the consultation being open check the stored consultation
 * (through the in-memory consultation port) under the same lock as the write; a refused
 * condition writes nothing.
 */
public final class InMemoryProposalRepository implements ProposalRepository {
    private final InMemoryConsultationRepository consultations;
    private final Map<String, Proposal> proposals = new LinkedHashMap<>();
    private final Map<String, Comment> comments = new LinkedHashMap<>();
    private final Set<String> supports = new HashSet<>();
    private final Set<String> flags = new HashSet<>();

    public InMemoryProposalRepository(InMemoryConsultationRepository consultations) {
        this.consultations = consultations;
    }

    @Override
    public synchronized boolean submit(Consultation c, Proposal p, Instant now) {
        if (!consultations.openAt(c.id(), now) || proposals.containsKey(key(c.id(), p.id()))) {
            return false;
        }
        proposals.put(key(c.id(), p.id()), p);
        return true;
    }

    @Override
    public synchronized boolean edit(Consultation c, String proposalId, String authorId, String title, String body, Instant now) {
        Proposal p = proposals.get(key(c.id(), proposalId));
        if (!consultations.openAt(c.id(), now) || p == null || !p.authorId().equals(authorId) || p.supports() != 0 || p.hidden()) {
            return false;
        }
        proposals.put(key(c.id(), proposalId), new Proposal(p.consultationId(), p.id(), p.authorId(), title, body, p.supports(),
                p.comments(), p.flags(), p.hidden(), p.hiddenReason(), p.answer(), p.createdAt(), now));
        return true;
    }

    @Override
    public synchronized boolean support(Consultation c, String proposalId, String pseudonym, Instant now) {
        Proposal p = proposals.get(key(c.id(), proposalId));
        String support = key(c.id(), proposalId) + "/" + pseudonym;
        if (!consultations.openAt(c.id(), now) || p == null || p.hidden() || supports.contains(support)) {
            return false;
        }
        supports.add(support);
        update(c.id(), proposalId, q -> counted(q, 1, 0, 0));
        return true;
    }

    @Override
    public synchronized boolean unsupport(Consultation c, String proposalId, String pseudonym, Instant now) {
        String support = key(c.id(), proposalId) + "/" + pseudonym;
        if (!consultations.openAt(c.id(), now) || !proposals.containsKey(key(c.id(), proposalId)) || !supports.contains(support)) {
            return false;
        }
        supports.remove(support);
        update(c.id(), proposalId, q -> counted(q, -1, 0, 0));
        return true;
    }

    @Override
    public synchronized boolean comment(Consultation c, Comment comment, Instant now) {
        Proposal p = proposals.get(key(c.id(), comment.proposalId()));
        String k = key(c.id(), comment.proposalId()) + "/" + comment.id();
        if (!consultations.openAt(c.id(), now) || p == null || p.hidden() || comments.containsKey(k)) {
            return false;
        }
        comments.put(k, comment);
        update(c.id(), comment.proposalId(), q -> counted(q, 0, 1, 0));
        return true;
    }

    @Override
    public synchronized boolean flag(String consultationId, String proposalId, String commentId, String pseudonym) {
        String flag = consultationId + "/" + (commentId == null ? proposalId : commentId) + "/" + pseudonym;
        if (!exists(consultationId, proposalId, commentId) || flags.contains(flag)) {
            return false;
        }
        flags.add(flag);
        if (commentId == null) {
            update(consultationId, proposalId, q -> counted(q, 0, 0, 1));
        } else {
            comments.computeIfPresent(key(consultationId, proposalId) + "/" + commentId, (k, m) -> new Comment(m.id(), m.proposalId(),
                    m.authorId(), m.text(), m.flags() + 1, m.hidden(), m.hiddenReason(), m.createdAt()));
        }
        return true;
    }

    @Override
    public synchronized boolean hide(String consultationId, String proposalId, String commentId, String reason, String agentId, Instant at) {
        if (!exists(consultationId, proposalId, commentId)) {
            return false;
        }
        if (commentId == null) {
            update(consultationId, proposalId, p -> new Proposal(p.consultationId(), p.id(), p.authorId(), p.title(), p.body(),
                    p.supports(), p.comments(), p.flags(), true, reason, p.answer(), p.createdAt(), p.updatedAt()));
        } else {
            comments.computeIfPresent(key(consultationId, proposalId) + "/" + commentId, (k, m) -> new Comment(m.id(), m.proposalId(),
                    m.authorId(), m.text(), m.flags(), true, reason, m.createdAt()));
        }
        return true;
    }

    @Override
    public synchronized boolean answer(String consultationId, String proposalId, Proposal.OfficialAnswer answer) {
        if (!proposals.containsKey(key(consultationId, proposalId))) {
            return false;
        }
        update(consultationId, proposalId, p -> new Proposal(p.consultationId(), p.id(), p.authorId(), p.title(), p.body(),
                p.supports(), p.comments(), p.flags(), p.hidden(), p.hiddenReason(), answer, p.createdAt(), p.updatedAt()));
        return true;
    }

    @Override
    public synchronized Optional<Proposal> find(String consultationId, String proposalId) {
        return Optional.ofNullable(proposals.get(key(consultationId, proposalId)));
    }

    @Override
    public synchronized List<Proposal> all(String consultationId) {
        return proposals.values().stream().filter(p -> p.consultationId().equals(consultationId)).toList();
    }

    /** Counts its calls, so that a test can see one batch read for a whole listing. */
    int supportReads;

    @Override
    public synchronized Set<String> supported(String consultationId, String pseudonym, java.util.Collection<String> proposalIds) {
        supportReads++;
        Set<String> out = new HashSet<>();
        proposalIds.stream().filter(id -> supports.contains(key(consultationId, id) + "/" + pseudonym)).forEach(out::add);
        return out;
    }

    @Override
    public synchronized Optional<Comment> comment(String consultationId, String proposalId, String commentId) {
        return Optional.ofNullable(comments.get(key(consultationId, proposalId) + "/" + commentId));
    }

    @Override
    public synchronized Page<Comment> comments(String consultationId, String proposalId, int limit, Optional<String> token) {
        String prefix = key(consultationId, proposalId) + "/";
        List<Comment> all = comments.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .sorted(Comparator.comparing(Comment::id)).toList();
        int from = token.map(Integer::parseInt).orElse(0);
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    private boolean exists(String consultationId, String proposalId, String commentId) {
        return commentId == null ? proposals.containsKey(key(consultationId, proposalId))
                : comments.containsKey(key(consultationId, proposalId) + "/" + commentId);
    }

    private void update(String consultationId, String proposalId, UnaryOperator<Proposal> change) {
        proposals.computeIfPresent(key(consultationId, proposalId), (k, p) -> change.apply(p));
    }

    private static Proposal counted(Proposal p, long supports, long comments, long flags) {
        return new Proposal(p.consultationId(), p.id(), p.authorId(), p.title(), p.body(), p.supports() + supports,
                p.comments() + comments, p.flags() + flags, p.hidden(), p.hiddenReason(), p.answer(), p.createdAt(), p.updatedAt());
    }

    private static String key(String consultationId, String proposalId) {
        return consultationId + "/" + proposalId;
    }
}
