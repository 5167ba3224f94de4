import { h, replaceChildren } from '../app/dom.ts';
import { describeError } from '../app/api-client.ts';
import { onLanguageChange, t } from '../app/i18n.ts';
import type { AppView, ViewContext } from './view.ts';

/**
 * The operations centre's view. deck.gl is loaded here and only here (it is ~3× the size of the
 * citizen entry): the live reports, the density hexagons and the on-time choropleth mount on the
 * interleaved MapboxOverlay that ioc/ioc-overlay.ts creates (phase 2 of issue 5, after login).
 */
export async function enterIocView({ map, panel, announce }: ViewContext): Promise<AppView> {
  const status = h('p', { role: 'status' }, t('ioc.loading'));
  const render = () => replaceChildren(panel, h('h2', {}, t('ioc.title')), h('p', {}, t('ioc.loginRequired')), status);
  render();
  const stopLanguage = onLanguageChange(render);
  let overlay: { remove(): void } | undefined;
  let left = false;
  try {
    const { mountIocOverlay } = await import('../ioc/ioc-overlay.ts');
    if (!left) {
      overlay = mountIocOverlay(map);
      status.textContent = t('ioc.ready');
    }
  } catch (error) {
    status.textContent = describeError(error);
    announce(describeError(error));
  }
  return {
    id: 'ioc',
    leave() {
      left = true;
      overlay?.remove();
      stopLanguage();
    },
  };
}
