package org.territoire.consultations.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.consultations.ConsultationResults;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.consultation.InMemoryConsultationRepository;
import org.territoire.consultations.consultation.Kind;
import org.territoire.consultations.consultation.Phase;
import org.territoire.consultations.consultation.Question;
import org.territoire.consultations.consultation.Results;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** ProposalService's rules (proposals, supports, comments, flags, moderation, answers) over in-memory ports and a test clock. */
@Tag("unit")
class ProposalServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private static final Caller AGENT = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.empty());
    private static final Caller PROVIDER = new Caller("prov-1", Set.of(Role.PROVIDER), Optional.empty(), Optional.of("asso"));

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryConsultationRepository consultationStore = new InMemoryConsultationRepository();
    private final ConsultationService consultations = new ConsultationService(consultationStore, clock);
    private final InMemoryProposalRepository proposalStore = new InMemoryProposalRepository(consultationStore);
    private final ProposalService service = new ProposalService(consultations, proposalStore, clock);
    private String consultation;

    private static Caller resident(String id) {
        return new Caller(id, Set.of(Role.RESIDENT), Optional.of("centre"), Optional.empty());
    }

    @BeforeEach
    void openAProposalsConsultationForTheCentre() {
        consultation = consultations.create(AGENT, new ConsultationService.ConsultationCommand("Budget participatif", "Vos idées.",
                Kind.PROPOSALS, List.of("centre"), NOW.plus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(30)), null, null, 3, null,
                null)).consultation().id();
        consultations.schedule(AGENT, consultation);
        clock.advance(Duration.ofMinutes(10));
    }

    private String propose(String who, String title) {
        return service.submit(resident(who), consultation, new ProposalService.ProposalCommand(title, "Une idée pour le quartier du centre.")).id();
    }

    @Test
    void residentsInScope_propose_whileItIsOpen() {
        var mine = service.submit(resident("ines"), consultation, new ProposalService.ProposalCommand("  Des bancs au square ",
                "Installer des bancs à l'ombre."));
        assertThat(mine.authorId()).as("its author sees it is theirs").isEqualTo("ines");
        assertThat(mine.title()).isEqualTo("Des bancs au square");

        var gare = new Caller("g", Set.of(Role.RESIDENT), Optional.of("gare"), Optional.empty());
        assertThatThrownBy(() -> service.submit(gare, consultation, new ProposalService.ProposalCommand("Une idée de la gare",
                "Une idée venue de la gare."))).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.submit(AGENT, consultation, new ProposalService.ProposalCommand("Une idée d'agent",
                "Une idée venue d'un agent."))).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.submit(resident("x"), consultation, new ProposalService.ProposalCommand("Idée", "court")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("title", "body"));

        clock.advance(Duration.ofDays(30));
        assertThatThrownBy(() -> propose("late", "Une idée tardive"))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("closed at"));
    }

    @Test
    void aPoll_takesNoProposals() {
        String poll = consultations.create(AGENT, new ConsultationService.ConsultationCommand("Le marché", "Quel jour ?", Kind.POLL,
                List.of(), NOW.plus(Duration.ofMinutes(15)), NOW.plus(Duration.ofDays(3)), null, null, null, null,
                List.of(new ConsultationService.QuestionCommand("Quel jour ?", Question.Type.SCALE, null, null, null))))
                .consultation().id();
        consultations.schedule(AGENT, poll);
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> service.submit(resident("ines"), poll, new ProposalService.ProposalCommand("Une idée de marché",
                "Un marché le dimanche matin."))).isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void aProposal_isEditedByItsAuthorOnly_untilItsFirstSupport() {
        String id = propose("ines", "Un composteur partagé");
        var edit = new ProposalService.ProposalCommand("Deux composteurs partagés", "Rue des Lilas et place Carnot.");

        assertThatThrownBy(() -> service.edit(resident("paul"), consultation, id, edit)).isInstanceOf(DomainError.Forbidden.class);
        assertThat(service.edit(resident("ines"), consultation, id, edit).title()).isEqualTo("Deux composteurs partagés");
        service.support(resident("paul"), consultation, id);
        assertThatThrownBy(() -> service.edit(resident("ines"), consultation, id, edit)).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> service.edit(resident("ines"), consultation, "nope", edit)).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void supports_areOnePerPerson_counted_andWithdrawable() {
        String id = propose("ines", "Des bancs au square");
        for (int i = 0; i < 5; i++) {
            service.support(resident("fan-" + i), consultation, id);
        }
        assertThatThrownBy(() -> service.support(resident("fan-0"), consultation, id))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("already support"));
        assertThatThrownBy(() -> service.unsupport(resident("never"), consultation, id)).isInstanceOf(DomainError.Conflict.class);
        service.unsupport(resident("fan-0"), consultation, id);
        assertThatThrownBy(() -> service.unsupport(resident("fan-0"), consultation, id)).isInstanceOf(DomainError.Conflict.class);

        assertThat(service.get(resident("x"), consultation, id).supports()).isEqualTo(4);
        assertThatThrownBy(() -> service.support(resident("x"), consultation, "nope")).isInstanceOf(DomainError.NotFound.class);

        clock.advance(Duration.ofDays(30));
        assertThatThrownBy(() -> service.support(resident("late"), consultation, id)).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> service.unsupport(resident("fan-1"), consultation, id)).isInstanceOf(DomainError.Conflict.class);
        assertThat(service.get(AGENT, consultation, id).supports()).isEqualTo(4);
    }

    @Test
    void supportedByMe_tellsEachCallerTheirOwnSupports_readInOneBatchForTheWholeList() {
        String benches = propose("ines", "Des bancs au square");
        String trees = propose("ines", "Des arbres rue Haute");
        propose("ines", "Une fontaine place du marché");
        assertThat(service.support(resident("jo"), consultation, benches).supportedByMe()).isTrue();
        service.support(resident("jo"), consultation, trees);
        service.support(resident("kim"), consultation, trees);
        service.unsupport(resident("jo"), consultation, trees);

        int reads = proposalStore.supportReads;
        var jo = service.list(resident("jo"), consultation, false).items();
        assertThat(proposalStore.supportReads - reads).as("one batch read for the list").isEqualTo(1);
        assertThat(jo).extracting(l -> l.proposal().title() + "=" + l.proposal().supportedByMe())
                .containsExactlyInAnyOrder("Des bancs au square=true", "Des arbres rue Haute=false", "Une fontaine place du marché=false");
        // kim's support of the trees shows in the count, never as jo's; and kim sees only theirs.
        assertThat(service.list(resident("kim"), consultation, false).items()).filteredOn(l -> l.proposal().supportedByMe())
                .extracting(l -> l.proposal().id()).containsExactly(trees);
        assertThat(service.get(resident("jo"), consultation, benches).supportedByMe()).isTrue();
        assertThat(service.get(resident("kim"), consultation, benches).supportedByMe()).isFalse();
        assertThat(service.get(AGENT, consultation, trees).supportedByMe()).isFalse();
        // The results rank proposals for everyone: no caller's supports there.
        assertThat(service.ranking(consultations.visible(AGENT, consultation)).proposals()).allSatisfy(p -> assertThat(p.supportedByMe()).isNull());
    }

    @Test
    void othersNeverSeeWhoProposedOrCommented() {
        String id = propose("ines", "Une fête des voisins");
        var comment = service.comment(resident("paul"), consultation, id, new ProposalService.CommentCommand("Bonne idée !"));
        assertThat(comment.authorId()).isEqualTo("paul");

        assertThat(service.get(resident("x"), consultation, id).authorId()).isNull();
        assertThat(service.get(resident("ines"), consultation, id).authorId()).isEqualTo("ines");
        assertThat(service.get(AGENT, consultation, id).authorId()).isEqualTo("ines");
        var listed = service.list(resident("x"), consultation, false).items();
        assertThat(listed).singleElement().satisfies(l -> {
            assertThat(l.proposal().authorId()).isNull();
            assertThat(l.mine()).isFalse();
        });
        assertThat(service.list(resident("ines"), consultation, false).items().get(0).mine()).isTrue();
        assertThat(service.comments(resident("x"), consultation, id, 50, Optional.empty()).items())
                .singleElement().satisfies(k -> assertThat(k.authorId()).isNull());
        assertThat(service.get(resident("x"), consultation, id).comments()).isEqualTo(1);
    }

    @Test
    void comments_needTheConsultationOpen_andATextOfTwoCharactersOrMore_andComeOldestFirst() {
        String id = propose("ines", "Un jardin partagé");
        assertThatThrownBy(() -> service.comment(resident("paul"), consultation, id, new ProposalService.CommentCommand(" x ")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("text"));
        assertThatThrownBy(() -> service.comment(resident("paul"), consultation, "nope", new ProposalService.CommentCommand("Oui")))
                .isInstanceOf(DomainError.NotFound.class);
        service.comment(resident("a"), consultation, id, new ProposalService.CommentCommand("Premier"));
        clock.advance(Duration.ofSeconds(1));
        service.comment(resident("b"), consultation, id, new ProposalService.CommentCommand("Second"));

        var first = service.comments(resident("x"), consultation, id, 1, Optional.empty());
        assertThat(first.items()).extracting(CommentView::text).containsExactly("Premier");
        assertThat(service.comments(resident("x"), consultation, id, 1, Optional.ofNullable(first.nextToken())).items())
                .extracting(CommentView::text).containsExactly("Second");

        clock.advance(Duration.ofDays(30));
        assertThatThrownBy(() -> service.comment(resident("c"), consultation, id, new ProposalService.CommentCommand("Trop tard")))
                .isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void flags_areOnePerPersonPerTarget_fromAnyoneSignedIn() {
        String id = propose("ines", "Un jardin partagé");
        String comment = service.comment(resident("paul"), consultation, id, new ProposalService.CommentCommand("Commentaire")).id();

        service.flag(resident("a"), consultation, id, null);
        service.flag(PROVIDER, consultation, id, null);
        service.flag(resident("a"), consultation, id, comment);
        assertThatThrownBy(() -> service.flag(resident("a"), consultation, id, null))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("already flagged"));
        assertThatThrownBy(() -> service.flag(resident("a"), consultation, id, "nope")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.flag(resident("a"), consultation, "nope", null)).isInstanceOf(DomainError.NotFound.class);

        assertThat(service.get(AGENT, consultation, id).flags()).isEqualTo(2);
        assertThat(service.comments(AGENT, consultation, id, 50, Optional.empty()).items().get(0).flags()).isEqualTo(1);
    }

    @Test
    void hiddenContent_leavesListsAndResults_staysStored_andItsAuthorSeesWhy() {
        String bad = propose("troll", "Une proposition injurieuse");
        String good = propose("ines", "Une fête des voisins");
        String comment = service.comment(resident("troll"), consultation, good, new ProposalService.CommentCommand("Injurieux")).id();

        assertThatThrownBy(() -> service.hide(resident("a"), consultation, bad, null, new ProposalService.HideCommand("Injures")))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.hide(AGENT, consultation, bad, null, new ProposalService.HideCommand(null)))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("reason"));
        assertThatThrownBy(() -> service.hide(AGENT, consultation, "nope", null, new ProposalService.HideCommand("Charte")))
                .isInstanceOfSatisfying(DomainError.NotFound.class, e -> assertThat(e.detail()).contains("proposal"));
        assertThatThrownBy(() -> service.hide(AGENT, consultation, good, "nope", new ProposalService.HideCommand("Charte")))
                .isInstanceOfSatisfying(DomainError.NotFound.class, e -> assertThat(e.detail()).contains("comment"));
        service.hide(AGENT, consultation, bad, null, new ProposalService.HideCommand(" Propos injurieux (charte, article 3) "));
        service.hide(AGENT, consultation, good, comment, new ProposalService.HideCommand("Injure"));

        assertThat(service.list(resident("b"), consultation, false).items()).extracting(l -> l.proposal().id()).containsExactly(good);
        assertThat(service.list(AGENT, consultation, false).items()).hasSize(2);
        assertThatThrownBy(() -> service.get(resident("b"), consultation, bad)).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.comments(resident("b"), consultation, bad, 50, Optional.empty()))
                .isInstanceOf(DomainError.NotFound.class);
        var own = service.get(resident("troll"), consultation, bad);
        assertThat(own.hidden()).isTrue();
        assertThat(own.hiddenReason()).isEqualTo("Propos injurieux (charte, article 3)");
        assertThat(service.comments(resident("b"), consultation, good, 50, Optional.empty()).items()).isEmpty();
        assertThat(service.comments(resident("troll"), consultation, good, 50, Optional.empty()).items())
                .singleElement().satisfies(k -> assertThat(k.hiddenReason()).isEqualTo("Injure"));
        assertThatThrownBy(() -> service.support(resident("c"), consultation, bad)).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> service.comment(resident("c"), consultation, bad, new ProposalService.CommentCommand("Hmm")))
                .isInstanceOf(DomainError.Conflict.class);
        assertThat(service.ranking(consultations.withVisibleResults(AGENT, consultation)).proposals())
                .extracting(ProposalView::id).containsExactly(good);
    }

    @Test
    void pastTheThreshold_aProposalNeedsAnOfficialAnswer_thatOnlyAgentsGive() {
        String id = propose("ines", "Une piste cyclable");
        String other = propose("paul", "Un skatepark");
        for (int i = 0; i < 3; i++) {
            service.support(resident("cyclist-" + i), consultation, id);
        }
        assertThat(service.list(AGENT, consultation, true).items()).extracting(l -> l.proposal().id()).containsExactly(id);
        assertThat(service.list(AGENT, consultation, false).items()).extracting(l -> l.proposal().id())
                .as("most supported first").containsExactly(id, other);

        var answer = new ProposalService.AnswerCommand(Proposal.AnswerStatus.UNDER_EVALUATION, "Étude lancée avec la métropole.");
        assertThatThrownBy(() -> service.answer(resident("ines"), consultation, id, answer)).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.answer(AGENT, consultation, id, new ProposalService.AnswerCommand(null, "x")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("status", "text"));
        assertThatThrownBy(() -> service.answer(AGENT, consultation, "nope", answer)).isInstanceOf(DomainError.NotFound.class);
        assertThat(service.answer(AGENT, consultation, id, answer).answer().status()).isEqualTo(Proposal.AnswerStatus.UNDER_EVALUATION);

        assertThat(service.list(AGENT, consultation, true).items()).isEmpty();
        assertThat(service.get(resident("x"), consultation, id).answer().text()).isEqualTo("Étude lancée avec la métropole.");
        assertThat(service.get(resident("x"), consultation, id).answer().by()).as("which agent answered, for agents only").isNull();
        assertThat(service.get(AGENT, consultation, id).answer().by()).isEqualTo("agent-1");
    }

    @Test
    void theResults_ofAProposalsConsultation_areItsRanking_andOfAPoll_itsCounts() {
        var results = new ConsultationResults(consultations, service);
        String low = propose("ines", "Un skatepark");
        String high = propose("paul", "Une piste cyclable");
        service.support(resident("a"), consultation, high);

        assertThatThrownBy(() -> results.of(resident("x"), consultation)).isInstanceOf(DomainError.Forbidden.class);
        clock.advance(Duration.ofDays(30));
        consultations.publishResults(AGENT, consultation);
        var ranking = (ProposalService.Ranking) results.of(resident("x"), consultation);
        assertThat(ranking.phase()).isEqualTo(Phase.RESULTS_PUBLISHED);
        assertThat(ranking.proposals()).extracting(ProposalView::id).containsExactly(high, low);
        assertThat(ranking.proposals()).allSatisfy(p -> assertThat(p.authorId()).isNull());

        String poll = consultations.create(AGENT, new ConsultationService.ConsultationCommand("Le marché", "Quel intérêt ?", Kind.POLL,
                List.of(), clock.instant().plus(Duration.ofMinutes(1)), clock.instant().plus(Duration.ofDays(3)), true, null, null, null,
                List.of(new ConsultationService.QuestionCommand("Votre intérêt", Question.Type.SCALE, null, null, null))))
                .consultation().id();
        consultations.schedule(AGENT, poll);
        clock.advance(Duration.ofMinutes(2));
        assertThat(results.of(resident("x"), poll)).isInstanceOfSatisfying(Results.class, r -> assertThat(r.participants()).isZero());
    }
}
