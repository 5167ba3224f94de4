import { ApiError, describeError } from '../app/api-client.ts';
import { h } from '../app/dom.ts';
import { navigateTo } from '../views/view.ts';
import { adminApi, type ApiClient, type Delivery, type Office, type Webhook } from './admin-api.ts';
import { at } from './admin-messages.ts';
import { actionButton, actionForm, checkboxField, dataTable, forget, formatInstant, inputField, loadFailure, rerender, sectionHeader, selectField, type Section, type SectionContext } from './admin-ui.ts';

/** A secret shown once: read-only, selectable, with a copy button and a warning. */
function shownOnce(options: { id: string; label: string; value: string; warning: string }): HTMLElement {
  const field = h('input', { id: options.id, type: 'text', readonly: true, value: options.value, className: 'admin-secret', spellcheck: 'false', autocomplete: 'off' });
  const copied = h('p', { className: 'muted', role: 'status' });
  const copy = h('button', { type: 'button', className: 'primary-button' }, at('api.copy'));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(options.value);
      copied.textContent = at('api.copied');
    } catch {
      field.select();
      copied.textContent = at('api.copyFailed');
    }
  });
  field.addEventListener('focus', () => field.select());
  return h('div', { className: 'admin-once', role: 'alert' }, h('p', { className: 'admin-once-warning' }, h('strong', {}, '⚠ '), options.warning), h('label', { for: options.id }, options.label), h('div', { className: 'admin-once-row' }, field, copy), copied);
}

/** Open311 partner keys: list, create (the key is shown once), revoke. */
export function createPartnersSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'partners', 'aria-labelledby': 'admin-partners-heading' });
  let clients: ApiClient[] | undefined;
  let loadError: unknown;
  let listError: unknown;
  /** The key just created: shown until the section is left. */
  let created: { name: string; apiKey: string } | undefined;

  const reload = async () => {
    try {
      clients = await adminApi.apiClients();
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  const createForm = () => {
    const name = inputField({ id: 'admin-partner-name', name: 'name', label: at('api.name'), required: true, maxlength: 200 });
    return actionForm({
      id: 'admin-partner-new',
      title: at('api.create'),
      className: 'admin-card',
      children: [name.wrapper],
      submitLabel: at('api.create'),
      context,
      onSubmit: async (form) => {
        const partner = name.input.value.trim();
        const answer = await adminApi.createApiClient(partner);
        created = { name: partner, apiKey: answer.apiKey };
        forget(form);
        await reload();
        element.querySelector<HTMLInputElement>('.admin-secret')?.focus();
        return () => at('api.created', { name: partner });
      },
    });
  };

  function render(): void {
    let body: Node;
    if (loadError !== undefined) body = loadFailure(loadError, () => void reload());
    else if (!clients) body = h('p', { className: 'muted' }, at('loading'));
    else
      body = h(
        'div',
        { className: 'admin-list' },
        listError !== undefined ? h('p', { className: 'error admin-list-error', role: 'alert' }, `${at('refusedTitle')} ${describeError(listError)}`) : null,
        clients.length === 0
          ? h('p', {}, at('api.empty'))
          : dataTable({
              className: 'admin-partners-table',
              caption: at('api.title'),
              headers: [at('api.name'), at('users.status'), at('users.createdAt'), at('actions')],
              rows: clients.map((client) => ({
                attributes: { 'data-client-id': client.id, 'data-active': String(client.active), className: client.active ? '' : 'is-inactive' },
                cells: [
                  h('strong', {}, client.name),
                  h('span', { className: client.active ? 'admin-state is-on' : 'admin-state is-off' }, client.active ? at('users.active') : at('api.revokedState')),
                  formatInstant(client.createdAt),
                  client.active
                    ? actionButton({
                        label: at('api.revoke'),
                        ariaLabel: at('api.revokeLabel', { name: client.name }),
                        className: 'secondary-button admin-danger',
                        confirm: () => at('api.confirmRevoke', { name: client.name }),
                        run: async () => {
                          await adminApi.revokeApiClient(client.id);
                          listError = undefined;
                          if (created?.name === client.name) created = undefined;
                          context.notify(() => at('api.revoked', { name: client.name }));
                          await reload();
                        },
                        onError: (error) => {
                          if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
                          listError = error;
                          render();
                        },
                      })
                    : null,
                ],
              })),
            }),
      );
    rerender(element, [
      sectionHeader(at('api.title'), at('api.intro')),
      created ? shownOnce({ id: 'admin-partner-key', label: at('api.keyLabel', { name: created.name }), value: created.apiKey, warning: at('api.keyOnce') }) : null,
      h('div', { className: 'admin-columns' }, h('div', { className: 'admin-main-column' }, body), h('div', { className: 'admin-side-column' }, createForm())),
    ]);
    element.querySelector('h2')?.setAttribute('id', 'admin-partners-heading');
  }

  return { element, render, load: reload };
}

const printableAscii = '[\\x21-\\x7e]+';

/** An office's document-system webhook: see/set it, its delivery log, redeliver. */
export function createWebhooksSection(context: SectionContext): Section {
  const element = h('section', { className: 'admin-section', 'data-section': 'webhooks', 'aria-labelledby': 'admin-webhooks-heading' });
  const officeCode = new URLSearchParams(location.search).get('office') ?? '';
  let offices: Office[] | undefined;
  let webhook: Webhook | null | undefined;
  let deliveries: Delivery[] | undefined;
  let loadError: unknown;
  let listError: unknown;
  let secret: { value: string } | undefined;

  const reload = async () => {
    try {
      offices ??= await adminApi.offices();
      if (officeCode) {
        const [found, log] = await Promise.all([
          adminApi.webhook(officeCode).catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 404 && error.message.includes('no webhook')) return null;
            throw error;
          }),
          adminApi.deliveries(officeCode),
        ]);
        webhook = found;
        deliveries = log;
      }
      loadError = undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
      loadError = error;
    }
    render();
  };

  const chooser = () => {
    const office = selectField({ id: 'admin-webhook-office', name: 'office', label: at('wh.office'), value: officeCode, required: true, options: [['', at('wh.choose')], ...(offices ?? []).map((entry) => [entry.code, `${entry.name} (${entry.code})`] as const)] });
    const form = h('form', { id: 'admin-webhook-choose', className: 'admin-filter' }, office.wrapper, h('div', { className: 'admin-buttons' }, h('button', { type: 'submit', className: 'secondary-button' }, at('wh.show'))));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (office.input.value) navigateTo(`/admin/webhooks?office=${encodeURIComponent(office.input.value)}`);
    });
    return form;
  };

  const settings = () => {
    const url = inputField({ id: 'admin-webhook-url', name: 'url', label: at('wh.url'), type: 'url', value: webhook?.url, required: true, maxlength: 2000, pattern: 'https?://.+', hint: at('wh.urlHint'), placeholder: 'https://tdoffice.example.gov.vn/hooks/bandoso' });
    const secretField = inputField({ id: 'admin-webhook-secret', name: 'secret', label: at('wh.secret'), type: 'password', minlength: 16, maxlength: 200, pattern: printableAscii, autocomplete: 'new-password', hint: at('wh.secretHint') });
    const rotate = checkboxField({ id: 'admin-webhook-rotate', name: 'rotateSecret', label: at('wh.rotate'), checked: false });
    const active = checkboxField({ id: 'admin-webhook-active', name: 'active', label: at('wh.active'), checked: webhook?.active ?? true });
    return actionForm({
      id: `admin-webhook-${officeCode}`,
      title: at('wh.configure'),
      className: 'admin-card',
      children: [url.wrapper, secretField.wrapper, webhook ? rotate.wrapper : null, active.wrapper],
      submitLabel: at('save'),
      context,
      onSubmit: async (form) => {
        const typedSecret = secretField.input.value;
        const answer = await adminApi.saveWebhook({ officeCode, url: url.input.value.trim(), ...(typedSecret ? { secret: typedSecret } : {}), rotateSecret: rotate.input.checked, active: active.input.checked });
        secret = answer.secret ? { value: answer.secret } : undefined;
        forget(form);
        await reload();
        return () => at('wh.saved', { office: officeCode });
      },
    });
  };

  const log = () =>
    !deliveries?.length
      ? h('p', { className: 'muted' }, at('wh.deliveriesEmpty'))
      : dataTable({
          className: 'admin-deliveries-table',
          caption: at('wh.deliveries'),
          headers: ['#', at('wh.event'), at('wh.report'), at('wh.status'), at('wh.attempts'), at('wh.lastResult'), at('wh.at'), at('actions')],
          rows: deliveries.map((delivery) => ({
            attributes: { 'data-delivery-id': delivery.id, 'data-status': delivery.status },
            cells: [
              String(delivery.id),
              h('code', {}, delivery.event),
              delivery.trackingCode ?? at('none'),
              h('span', { className: `admin-state is-${delivery.status}` }, at(`wh.status.${delivery.status}`)),
              String(delivery.attempts),
              [delivery.lastStatusCode ?? '', delivery.lastError ? ` ${delivery.lastError}` : ''].join('').trim() || at('none'),
              formatInstant(delivery.deliveredAt ?? delivery.createdAt),
              delivery.status === 'pending'
                ? null
                : actionButton({
                    label: at('wh.redeliver'),
                    ariaLabel: at('wh.redeliverLabel', { id: delivery.id }),
                    run: async () => {
                      await adminApi.redeliver(delivery.id);
                      listError = undefined;
                      context.notify(() => at('wh.redelivered', { id: delivery.id }));
                      await reload();
                    },
                    onError: (error) => {
                      if (error instanceof ApiError && error.status === 401) return context.sessionEnded();
                      listError = error;
                      render();
                    },
                  }),
            ],
          })),
        });

  function render(): void {
    let body: (Node | null)[] = [];
    if (loadError !== undefined) body = [loadFailure(loadError, () => void reload())];
    else if (!offices || (officeCode && webhook === undefined)) body = [h('p', { className: 'muted' }, at('loading'))];
    else if (officeCode) {
      body = [
        secret ? shownOnce({ id: 'admin-webhook-secret-shown', label: at('wh.secret'), value: secret.value, warning: at('wh.secretOnce') }) : null,
        webhook
          ? h('dl', { className: 'facts admin-webhook-facts' }, h('dt', {}, at('wh.url')), h('dd', {}, webhook.url), h('dt', {}, at('wh.status')), h('dd', {}, webhook.active ? at('wh.activeShort') : at('wh.paused')), h('dt', {}, at('wh.updatedAt')), h('dd', {}, formatInstant(webhook.updatedAt)))
          : h('p', { className: 'muted' }, at('wh.none')),
        settings(),
        h('h3', {}, at('wh.deliveries')),
        listError !== undefined ? h('p', { className: 'error admin-list-error', role: 'alert' }, `${at('refusedTitle')} ${describeError(listError)}`) : null,
        log(),
      ];
    }
    rerender(element, [sectionHeader(at('wh.title'), at('wh.intro')), chooser(), ...body]);
    element.querySelector('h2')?.setAttribute('id', 'admin-webhooks-heading');
  }

  return { element, render, load: reload };
}
