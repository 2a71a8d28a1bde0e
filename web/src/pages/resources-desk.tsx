/**
 * Pooled resources (agents, and providers for their organisation): a new resource offered (POST /resources), the
 * quotas per kind (PUT /quotas/{kind}), each resource's opening hours (PATCH /resources/{id}) and its retirement
 * (DELETE /resources/{id}: no new bookings, out of the lists; the bookings already made stay and its operator can
 * still cancel them). The page checks the creation form with the API's rules (resource-form.ts) and shows each
 * refused field next to it, the API's own refusals (problem+json `errors`) included; the API checks every rule again.
 */
import { useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type Page, type Resource } from '../api';
import type { components } from '../generated/openapi';
import { ConfirmedAction, ErrorMessage, Loading, SelectField, StatusLine, useLoad } from '../components';
import { useApp } from '../context';
import { RESOURCE_KINDS } from '../format';
import type { Key } from '../i18n';
import { apiFieldErrors, emptyResourceForm, resourceCommand, WEEKDAYS, type EligibilityScope, type ResourceForm, type ResourceKind } from '../resource-form';
import { useOrganisations } from './desk';

type Quota = components['schemas']['Quota'];
type OpeningHours = components['schemas']['OpeningHours'];

export { WEEKDAYS };

/** A day's periods as typed ("08:00-12:00, 14:00-20:00"), or null when one is not HH:MM-HH:MM. */
export function periodsFrom(text: string): string[] | null {
  const periods = text.split(/[,;\s]+/).map((p) => p.trim().replace(/[–—]/g, '-')).filter(Boolean);
  return periods.every((p) => /^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$/.test(p)) ? periods : null;
}

/** The week the form describes, closed days left out; the day whose text is not understood, when one is not. */
export function openingHoursFrom(days: Record<string, string>): { hours: OpeningHours } | { invalid: string } {
  const hours: OpeningHours = {};
  for (const day of WEEKDAYS) {
    const periods = periodsFrom(days[day] ?? '');
    if (periods === null) return { invalid: day };
    if (periods.length > 0) hours[day] = periods;
  }
  return { hours };
}

export function ResourcesDeskPage() {
  return (
    <>
      <QuotaEditor />
      <ResourcesEditor />
    </>
  );
}

function QuotaEditor() {
  const { t, api } = useApp();
  const [kind, setKind] = useState('FESTIVE_HALL');
  const [form, setForm] = useState<{ maxActive: string; maxHoursPerWeek: string }>();
  const [saved, setSaved] = useState<string>();
  const [error, setError] = useState<unknown>();
  const quota = useLoad(async () => {
    const q = await api.get<Quota>(`/quotas/${kind}`).catch((e) => (e instanceof ApiError && e.status === 404 ? ({ kind } as Quota) : Promise.reject(e)));
    setForm({ maxActive: q.maxActive?.toString() ?? '', maxHoursPerWeek: q.maxHoursPerWeek?.toString() ?? '' });
    return q;
  }, [kind]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(undefined);
    const body: Record<string, number> = {};
    if (form?.maxActive.trim()) body.maxActive = Number(form.maxActive);
    if (form?.maxHoursPerWeek.trim()) body.maxHoursPerWeek = Number(form.maxHoursPerWeek);
    try {
      await api.put(`/quotas/${kind}`, body);
      setSaved(t('rdesk.quotaSaved', { kind: t(`rkind.${kind}` as Key) }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="q-title">
      <h2 id="q-title">{t('rdesk.quotas')}</h2>
      <p class="muted">{t('rdesk.quotasIntro')}</p>
      <div class="filters">
        <SelectField id="q-kind" label={t('rdesk.kind')} value={kind} choices={kindChoices(t)} onPick={(v) => { setKind(v); setSaved(undefined); }} />
        <div class="field">
          <label for="q-active">{t('rdesk.maxActive')}</label>
          <input id="q-active" type="number" min={1} max={1000} disabled={!form} value={form?.maxActive ?? ''}
            onInput={(e) => setForm({ ...form!, maxActive: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="q-hours">{t('rdesk.maxHours')}</label>
          <input id="q-hours" type="number" min={1} max={168} disabled={!form} value={form?.maxHoursPerWeek ?? ''}
            onInput={(e) => setForm({ ...form!, maxHoursPerWeek: (e.target as HTMLInputElement).value })} />
        </div>
      </div>
      {quota.loading && <Loading />}
      {quota.error !== undefined && <ErrorMessage error={quota.error} />}
      <div class="actions">
        <button type="submit" class="button" disabled={!form}>
          {t('rdesk.saveQuota')}
        </button>
      </div>
      <StatusLine tone="success" text={saved} />
      {error !== undefined && <ErrorMessage error={error} />}
    </form>
  );
}

const kindChoices = (t: (k: Key) => string) => RESOURCE_KINDS.map((k) => ({ value: k, label: t(`rkind.${k}` as Key) }));

function ResourcesEditor() {
  const { t, api } = useApp();
  const [kind, setKind] = useState('SHARED_WORKSHOP');
  const [changed, setChanged] = useState(0);
  const [saved, setSaved] = useState<string>();
  const list = useLoad(() => api.get<Page<Resource>>(`/resources?kind=${kind}&limit=50`), [kind], [changed]);
  return (
    <>
      <ResourceCreator onCreated={(r) => { setKind(r.kind); setSaved(t('rdesk.created', { name: r.name, kind: t(`rkind.${r.kind}` as Key) })); setChanged((n) => n + 1); }} />
      <section aria-labelledby="r-title">
        <h2 id="r-title">{t('rdesk.resources')}</h2>
        <SelectField id="r-kind" label={t('rdesk.kind')} value={kind} choices={kindChoices(t)} onPick={(v) => { setKind(v); setSaved(undefined); }} />
        <StatusLine tone="success" text={saved} />
        {list.loading && <Loading />}
        {list.error !== undefined && <ErrorMessage error={list.error} />}
        {list.data && list.data.items.length === 0 && <p>{t('common.none')}</p>}
        <ul class="list" aria-labelledby="r-title">
          {list.data?.items.map((r) => (
            <HoursForm key={`${r.id}:${r.version}`} resource={r}
              onSaved={() => { setSaved(t('rdesk.hoursSaved', { name: r.name })); setChanged((n) => n + 1); }}
              onRetired={() => { setSaved(t('rdesk.retired', { name: r.name })); setChanged((n) => n + 1); }} />
          ))}
        </ul>
      </section>
    </>
  );
}

/** The input's id for an API field name: "location.latitude" is #rc-location-latitude. */
const fieldId = (field: string) => `rc-${field.replace(/\./g, '-')}`;

/** A new resource, every field of POST /resources; one Idempotency-Key per resource meant, so a retried click creates it once. */
function ResourceCreator({ onCreated }: { onCreated: (r: Resource) => void }) {
  const { t, api, session } = useApp();
  const { organisations, org } = useOrganisations();
  const [form, setForm] = useState<ResourceForm>(() => emptyResourceForm('', session?.district ?? ''));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const set = <K extends keyof ResourceForm>(k: K, v: ResourceForm[K]) => {
    setForm({ ...form, [k]: v });
    setKey(newIdempotencyKey());
  };
  const organisation = form.organisationId || org || '';
  const errors: Record<string, string> = { ...problems, ...apiFieldErrors(error) };
  /** The props that tie an input to its label's hint and to its error, shown next to it. */
  const described = (field: string, hint?: boolean) => {
    const id = fieldId(field);
    const ids = [hint ? `${id}-hint` : '', errors[field] ? `${id}-error` : ''].filter(Boolean).join(' ');
    return { id, 'aria-invalid': errors[field] ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
  };
  const note = (field: string) => errors[field] && (
    <small id={`${fieldId(field)}-error`} class="field-error">
      {errors[field]}
    </small>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const checked = resourceCommand({ ...form, organisationId: organisation });
    if ('problems' in checked) {
      setProblems(Object.fromEntries(Object.entries(checked.problems).map(([f, p]) => [f, t(p.key as Key, p.params)])));
      const first = Object.keys(checked.problems)[0];
      if (first) document.getElementById(fieldId(first))?.focus();
      return;
    }
    setProblems({});
    setBusy(true);
    try {
      const created = await api.post<Resource>('/resources', checked.command, key);
      setKey(newIdempotencyKey());
      setForm(emptyResourceForm(form.organisationId, form.district));
      onCreated(created);
    } catch (err) {
      setError(err);
      const first = Object.keys(apiFieldErrors(err))[0];
      if (first) document.getElementById(fieldId(first))?.focus();
    } finally {
      setBusy(false);
    }
  };
  /** A text input for a form field; `apiField` is the API's name for it when it is another ("location.latitude"). */
  const input = (field: keyof ResourceForm & string, label: string, props: Record<string, unknown> = {}, hint?: string, apiField: string = field) => (
    <div class="field">
      <label for={fieldId(apiField)}>{label}</label>
      <input type="text" {...props} {...described(apiField, !!hint)} value={form[field] as string}
        onInput={(e) => set(field, (e.target as HTMLInputElement).value as never)} />
      {hint && <small id={`${fieldId(apiField)}-hint`} class="muted">{hint}</small>}
      {note(apiField)}
    </div>
  );
  const number = (field: keyof ResourceForm & string, label: string, hint?: string) => input(field, label, { inputMode: 'numeric' }, hint);
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="rc-title" noValidate>
      <h2 id="rc-title">{t('rform.title')}</h2>
      <p class="muted">{t('rform.intro')}</p>
      <div class="filters">
        <SelectField id="rc-kind" label={t('rdesk.kind')} value={form.kind} choices={kindChoices(t)} onPick={(v) => set('kind', v as ResourceKind)} />
        {input('name', t('rform.name'), { required: true, maxLength: 120 })}
        <SelectField id="rc-organisationId" label={t('rform.organisation')} value={organisation} disabled={!organisations.data}
          choices={(organisations.data ?? []).map((o) => ({ value: o, label: o }))} onPick={(v) => set('organisationId', v)} />
        {note('organisationId')}
        {input('district', t('rform.district'), { required: true, maxLength: 64 }, t('rform.idHint'))}
        {input('address', t('rform.address'), { maxLength: 200 })}
        {input('latitude', t('rform.latitude'), { inputMode: 'decimal' }, undefined, 'location.latitude')}
        {input('longitude', t('rform.longitude'), { inputMode: 'decimal' }, undefined, 'location.longitude')}
      </div>
      <div class="field">
        <label for="rc-description">{t('rform.description')}</label>
        <textarea rows={3} maxLength={2000} {...described('description')} value={form.description}
          onInput={(e) => set('description', (e.target as HTMLTextAreaElement).value)} />
        {note('description')}
      </div>
      <fieldset>
        <legend>{t('rform.booking')}</legend>
        <div class="filters">
          {number('capacity', t('rform.capacity'))}
          {number('slotMinutes', t('rform.slot'), t('rform.slotHint'))}
          {number('minDurationMinutes', t('rform.minDuration'))}
          {number('maxDurationMinutes', t('rform.maxDuration'))}
          {number('bufferMinutes', t('rform.buffer'))}
          {number('minNoticeMinutes', t('rform.minNotice'))}
          {number('maxAdvanceDays', t('rform.maxAdvance'))}
          {input('timeZone', t('rform.timeZone'), { maxLength: 64, placeholder: 'Europe/Paris' })}
        </div>
        <p class="muted">{t('rform.defaults')}</p>
      </fieldset>
      <fieldset>
        <legend>{t('rdesk.hours')}</legend>
        <p class="muted">{t('rform.hoursHint')}</p>
        <div class="filters">
          {WEEKDAYS.map((day) => (
            <div class="field" key={day}>
              <label for={fieldId(`openingHours.${day}`)}>{t(`rdesk.day.${day}` as Key)}</label>
              <input type="text" maxLength={120} {...described(`openingHours.${day}`)} value={form.days[day]}
                onInput={(e) => set('days', { ...form.days, [day]: (e.target as HTMLInputElement).value })} />
              {note(`openingHours.${day}`)}
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rform.who')}</legend>
        <div class="filters">
          <SelectField id="rc-eligibility-scope" label={t('rform.scope')} value={form.scope}
            choices={(['EVERYONE', 'DISTRICTS', 'ORGANISATION'] as const).map((s) => ({ value: s, label: t(`rform.scope.${s}` as Key) }))}
            onPick={(v) => set('scope', v as EligibilityScope)} />
          {form.scope === 'DISTRICTS' && (
            <div class="field">
              <label for="rc-eligibility-districts">{t('rform.eligibleDistricts')}</label>
              <input type="text" maxLength={3300} {...described('eligibility.districts')} value={form.eligibleDistricts}
                onInput={(e) => set('eligibleDistricts', (e.target as HTMLInputElement).value)} />
              {note('eligibility.districts')}
            </div>
          )}
          {form.scope === 'ORGANISATION' && (
            <div class="field">
              <label for="rc-eligibility-organisationId">{t('rform.eligibleOrganisation')}</label>
              <input type="text" maxLength={64} {...described('eligibility.organisationId')} value={form.eligibleOrganisation}
                onInput={(e) => set('eligibleOrganisation', (e.target as HTMLInputElement).value)} />
              {note('eligibility.organisationId')}
            </div>
          )}
          {input('linkedDeviceId', t('rform.linkedDevice'), { maxLength: 64 }, t('rform.linkedDeviceHint'))}
        </div>
        <div class="checks">
          <label>
            <input id="rc-requiresApproval" type="checkbox" checked={form.requiresApproval}
              onChange={(e) => set('requiresApproval', (e.target as HTMLInputElement).checked)} /> {t('rform.approval')}
          </label>
        </div>
      </fieldset>
      {Object.keys(problems).length > 0 && (
        <p class="notice error" role="alert">
          {t('rform.invalid')}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {t('rform.create')}
        </button>
      </div>
    </form>
  );
}

function HoursForm({ resource, onSaved, onRetired }: { resource: Resource; onSaved: () => void; onRetired: () => void }) {
  const { t, api } = useApp();
  const [days, setDays] = useState<Record<string, string>>(() =>
    Object.fromEntries(WEEKDAYS.map((d) => [d, (resource.openingHours?.[d] ?? []).join(', ')])));
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState<string>();
  const id = (day: string) => `h-${resource.id}-${day}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const week = openingHoursFrom(days);
    if ('invalid' in week) return setInvalid(week.invalid);
    setInvalid(undefined);
    try {
      await api.patch(`/resources/${encodeURIComponent(resource.id)}`, { openingHours: week.hours });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li class="item">
      <h3>{resource.name}</h3>
      <p class="muted">
        {t('rdesk.capacity', { capacity: resource.capacity, slot: resource.slotMinutes })}
        {resource.organisationId && ` · ${resource.organisationId}`}
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('rdesk.hours')}</legend>
          <p class="muted">{t('rdesk.hoursHint')}</p>
          <div class="filters">
            {WEEKDAYS.map((day) => (
              <div class="field" key={day}>
                <label for={id(day)}>{t(`rdesk.day.${day}` as Key)}</label>
                <input id={id(day)} type="text" maxLength={120} value={days[day]} aria-invalid={invalid === day ? 'true' : undefined}
                  onInput={(e) => setDays({ ...days, [day]: (e.target as HTMLInputElement).value })} />
              </div>
            ))}
          </div>
        </fieldset>
        <button type="submit" class="button secondary">
          {t('rdesk.saveHours')}
        </button>
      </form>
      {invalid && (
        <p class="notice error" role="alert">
          {t('rdesk.invalidDay', { day: t(`rdesk.day.${invalid}` as Key) })}
        </p>
      )}
      {error !== undefined && <ErrorMessage error={error} />}
      <div class="actions">
        <ConfirmedAction id={`retire-${resource.id}`} ask={t('rdesk.retire', { name: resource.name })}
          question={t('rdesk.retireQuestion', { name: resource.name })} yes={t('rdesk.retireYes')}
          act={async () => {
            await api.delete(`/resources/${encodeURIComponent(resource.id)}`);
            onRetired();
          }} />
      </div>
    </li>
  );
}
