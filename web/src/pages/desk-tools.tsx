/**
 * The agents' tools beside the desk, each a page of its own (#/desk/<tool>): moderation, device registration,
 * district aggregates, Open311 api keys, resources' opening hours and quotas. A link is shown only to the roles the API lets use it (x-roles in
 * api/openapi.yaml); the API refuses the others anyway, and the page says so instead of failing.
 */
import { hasRole, type Session } from '../auth';
import { PageTitle, SignInPrompt } from '../components';
import { useApp } from '../context';
import type { Key } from '../i18n';
import type { DeskTool } from '../router';
import { DevicesDeskPage } from './devices-desk';
import { DistrictsPage } from './districts';
import { ModerationPage } from './moderation';
import { Open311KeysPage } from './open311-keys';
import { ResourcesDeskPage } from './resources-desk';

/** Who may use each tool, as the routes' x-roles say (district aggregates are public content; the desk shows them to operators). */
const ROLES: Record<DeskTool, string[]> = {
  moderation: ['agent', 'admin'],
  devices: ['agent', 'admin'],
  districts: ['provider', 'agent', 'admin'],
  open311: ['provider', 'agent', 'admin'],
  resources: ['agent', 'admin'],
};

export function mayUse(session: Session | null, tool: DeskTool): boolean {
  return hasRole(session, ...ROLES[tool]);
}

export function DeskTools() {
  const { t, session } = useApp();
  const tools = (Object.keys(ROLES) as DeskTool[]).filter((tool) => mayUse(session, tool));
  if (tools.length === 0) return null;
  return (
    <nav aria-labelledby="desk-tools" class="panel">
      <h2 id="desk-tools">{t('tools.title')}</h2>
      <ul class="tools">
        {tools.map((tool) => (
          <li key={tool}>
            <a href={`#/desk/${tool}`}>{t(`tools.${tool}` as Key)}</a> <span class="muted">{t(`tools.${tool}.hint` as Key)}</span>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function DeskToolPage({ tool }: { tool: DeskTool }) {
  const { t, session } = useApp();
  const title = t(`tools.${tool}` as Key);
  if (!session || !mayUse(session, tool)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        {!session ? <SignInPrompt /> : <p class="notice">{t('tools.notForYou')}</p>}
      </>
    );
  }
  return (
    <>
      <p>
        <a href="#/desk">{t('tools.back')}</a>
      </p>
      <PageTitle title={title}>{title}</PageTitle>
      {tool === 'moderation' && <ModerationPage />}
      {tool === 'devices' && <DevicesDeskPage />}
      {tool === 'districts' && <DistrictsPage />}
      {tool === 'open311' && <Open311KeysPage />}
      {tool === 'resources' && <ResourcesDeskPage />}
    </>
  );
}
