import { hasRole } from '../auth';
import { PageTitle } from '../components';
import { useApp } from '../context';

export function HomePage() {
  const { t, config, session } = useApp();
  const title = t('home.title', { name: config.territory.name });
  const cards: [string, string][] = [
    ['#/services', t('home.services')],
    ['#/map', t('home.map')],
    ['#/resources', t('home.resources')],
    ['#/consultations', t('home.consultations')],
  ];
  if (hasRole(session, 'resident')) cards.push(['#/me', t('home.myHome')]);
  if (hasRole(session, 'provider', 'agent', 'admin')) cards.push(['#/desk', t('home.desk')]);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>{t('home.intro')}</p>
      <ul class="cards">
        {cards.map(([link, label]) => (
          <li key={link}>
            <a class="card" href={link}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function NotFoundPage() {
  const { t } = useApp();
  return (
    <>
      <PageTitle title={t('notFound.title')}>{t('notFound.title')}</PageTitle>
      <p>
        <a href="#/">{t('nav.home')}</a>
      </p>
    </>
  );
}
