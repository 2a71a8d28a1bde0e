import { render } from 'preact';
import { App } from './app';
import { applyTheme, loadConfig } from './config';
import { translator } from './i18n';
import { registerWorker } from './pwa';

const root = document.getElementById('app')!;
loadConfig()
  .then((config) => {
    applyTheme(config);
    // Preact would try to reuse the loading message's DOM: start from an empty root.
    root.textContent = '';
    render(<App config={config} />, root);
    registerWorker(config.apiUrl);
  })
  .catch((e: unknown) => {
    console.error(e);
    root.innerHTML = '';
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = translator('fr')('app.configError');
    root.append(p);
  });
