/*
 * Courier console: the page's script (docs/console.md). Plain JavaScript, no library, nothing fetched from outside;
 * every URL is relative to the console's base (<base>/courier/console/). Data goes into the page as text
 * (textContent, attributes, SVG built with createElementNS), never as HTML; there are no inline handlers, so a strict
 * Content-Security-Policy (script-src 'self') fits it.
 *
 * What it reads (every api/ request carries `authorization: Bearer <token>` when a token is set):
 *   GET api/server      once a connection is made, then every 2 s: header, actions
 *   GET api/services    once per connection: the service descriptions (docs/describe.md)
 *   GET api/providers   every 2 s: providers per service
 *   GET api/metrics     every 2 s: per-method figures and 60 one-second buckets
 *   POST api/call?service=&method=&timeoutMs=[&version=][&group=]   the try-it forms (body: the JSON array of the
 *                       arguments; version and group are the service's, sent when not empty)
 *   POST api/offline | api/online | api/drain   the operator buttons (drain asks first)
 *
 * Stable hooks for tests and tools (names with dots or slashes are used as they are in ids and attributes):
 *   #token, #token-connect, #token-forget       the token form (the token is kept in sessionStorage under
 *                                                "courier.console.token"; a stored token, even "", reconnects)
 *   body[data-connected="true"]                 after Connect; body[data-services-loaded="<n>"] once rendered
 *   #server-name, #server-registry, #server-addresses, #server-inflight, #server-started
 *   #server-state[data-state]                   RUNNING, SHUTTING_DOWN, TERMINATED
 *   #server-registered[data-registered]         "true" / "false"
 *   #action-offline, #action-online, #action-drain   enabled as api/server's `actions` says
 *   #error[data-status]                          the failed api/ requests: hidden when none; data-status is the
 *                                                last HTTP status (401, 403, ...) or "network"
 *   #notice                                      the outcome of the last operator action
 *   section[data-service="<service>"]#service-<service>
 *     table[data-providers-for="<service>"] tr[data-provider="<address>:<first port>"][data-self][data-health]
 *                                           [data-ejected]
 *     [data-method="<method>"]#method-<service>-<method>[data-kind]
 *       [data-figures="<service>/<method>"] [data-figure="callsPerSecond|p50Ms|p99Ms|inFlight|calls|errors"]
 *       svg[data-chart="<service>/<method>"][data-buckets="<buckets with calls>"]
 *       summary#try-open-<service>-<method>   opens the try-it form (unary methods only)
 *       form#try-<service>-<method>: textarea[name=args], input[name=timeoutMs], button[type=submit]
 *       #result-<service>-<method>[data-status]   "" before a call, "pending", the call's status (OK, NOT_FOUND,
 *                                                ...) or "HTTP <n>" when api/call itself was refused
 *                                                (the call goes through the cluster when there is a registry);
 *                                                [data-part="status|latency|result|description|headers|trailers"]
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'courier.console.token';
  var POLL_MS = 2000;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  var state = {
    connected: false,
    token: null,
    generation: 0,        // bumped on every (re)connect and forget: answers of an older one are dropped
    timer: null,
    services: [],
    servicesLoaded: false,
    server: null,
    errors: {},           // source -> message of its last failure
    lastErrorStatus: ''
  };

  // ---------------------------------------------------------------------------------------------------- helpers

  function $(id) {
    return document.getElementById(id);
  }

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) {
      return;
    }
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === 'text') {
        node.textContent = String(value);
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    });
  }

  function append(node, children) {
    if (children === null || children === undefined) {
      return;
    }
    if (!Array.isArray(children)) {
      children = [children];
    }
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) {
        return;
      }
      if (Array.isArray(child)) {
        append(node, child);
        return;
      }
      node.appendChild(typeof child === 'string' || typeof child === 'number'
          ? document.createTextNode(String(child)) : child);
    });
  }

  function text(id, value) {
    var node = $(id);
    if (node) {
      node.textContent = value === null || value === undefined || value === '' ? '–' : String(value);
    }
  }

  function fmtMs(value) {
    if (value === null || value === undefined || isNaN(value)) {
      return '–';
    }
    if (value >= 100) {
      return Math.round(value) + ' ms';
    }
    if (value >= 10) {
      return value.toFixed(1) + ' ms';
    }
    return value.toFixed(2) + ' ms';
  }

  function fmtRate(value) {
    if (value === null || value === undefined || isNaN(value)) {
      return '–';
    }
    return (value >= 10 ? value.toFixed(0) : value.toFixed(1)) + '/s';
  }

  function fmtTime(iso) {
    if (!iso) {
      return '–';
    }
    var date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  }

  function pretty(value) {
    return value === undefined ? '' : JSON.stringify(value, null, 2);
  }

  /** A value that may not be an object (a malformed answer) as an object. */
  function obj(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }

  function arr(value) {
    return Array.isArray(value) ? value : [];
  }

  function key(service, method) {
    return service + '/' + method;
  }

  // -------------------------------------------------------------------------------------------------------- api

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  var STATUS_TEXT = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    413: 'Payload Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable'
  };

  ApiError.prototype.describe = function () {
    if (this.status === 'network') {
      return 'the server did not answer (' + this.message + '); it may be drained or down';
    }
    var head = this.status + ' ' + (STATUS_TEXT[this.status] || '') + (this.code ? ' — ' + this.code : '');
    var hint = '';
    if (this.status === 401) {
      hint = ' Enter a token the server accepts and press Connect.';
    } else if (this.status === 403) {
      hint = ' The token\'s caller needs an AccessPolicy rule for courier.Console (or the console admits only'
          + ' loopback callers).';
    }
    return head + (this.message ? ': ' + this.message : '') + '.' + hint;
  };

  /** fetch() of an api/ path with the token; resolves to the parsed JSON, rejects with an ApiError. */
  function api(method, path, body) {
    var headers = {accept: 'application/json'};
    if (state.token) {
      headers.authorization = 'Bearer ' + state.token;
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    return fetch(path, {method: method, headers: headers, body: body, cache: 'no-store', credentials: 'same-origin'})
        .then(function (response) {
          return response.text().then(function (raw) {
            var json = null;
            try {
              json = raw ? JSON.parse(raw) : null;
            } catch (e) {
              json = null;
            }
            if (!response.ok) {
              var error = obj(json);
              throw new ApiError(response.status, error.code || '', error.message || raw.slice(0, 300));
            }
            if (json === null) {
              throw new ApiError(response.status, 'INVALID_JSON', 'the answer to ' + path + ' is not JSON');
            }
            return json;
          });
        }, function (failure) {
          throw new ApiError('network', '', failure && failure.message ? failure.message : String(failure));
        });
  }

  function setError(source, error) {
    if (error) {
      state.errors[source] = source + ': ' + (error instanceof ApiError ? error.describe() : String(error));
      state.lastErrorStatus = error instanceof ApiError ? String(error.status) : 'error';
    } else {
      delete state.errors[source];
    }
    var box = $('error');
    var messages = Object.keys(state.errors).map(function (name) {
      return state.errors[name];
    });
    box.replaceChildren();
    if (messages.length === 0) {
      box.hidden = true;
      box.setAttribute('data-status', '');
      return;
    }
    messages.forEach(function (message) {
      box.appendChild(el('div', {text: message}));
    });
    box.setAttribute('data-status', state.lastErrorStatus);
    box.hidden = false;
  }

  function notice(message, failed) {
    var box = $('notice');
    box.textContent = message;
    box.classList.toggle('failed', !!failed);
    box.hidden = !message;
  }

  // ----------------------------------------------------------------------------------------------- connection

  function connect(token) {
    state.token = token;
    state.connected = true;
    state.generation++;
    state.servicesLoaded = false;
    document.body.setAttribute('data-connected', 'true');
    document.body.removeAttribute('data-services-loaded');
    clearTimeout(state.timer);
    state.errors = {};
    setError('server', null);
    var hint = $('connect-hint');
    if (hint) {
      hint.hidden = true;
    }
    poll(state.generation);
  }

  function forget() {
    sessionStorage.removeItem(TOKEN_KEY);
    state.connected = false;
    state.token = null;
    state.generation++;
    clearTimeout(state.timer);
    state.errors = {};
    setError('server', null);
    $('token').value = '';
    document.body.removeAttribute('data-connected');
    document.body.removeAttribute('data-services-loaded');
    var main = $('services');
    main.replaceChildren(el('p', {id: 'connect-hint', 'class': 'hint',
      text: 'Disconnected. Enter a bearer token and press Connect.'}));
    state.server = null;
    renderServer(null);
  }

  /** One round: server, services (until loaded), providers and metrics; then again in 2 s. */
  function poll(generation) {
    var current = function () {
      return generation === state.generation;
    };
    var round = [
      api('GET', 'api/server').then(function (server) {
        if (current()) {
          setError('api/server', null);
          state.server = server;
          renderServer(server);
          text('server-updated', new Date().toLocaleTimeString());
        }
      }, function (error) {
        if (current()) {
          setError('api/server', error);
        }
      })
    ];
    var loaded = state.servicesLoaded ? Promise.resolve() : api('GET', 'api/services').then(function (answer) {
      if (current()) {
        setError('api/services', null);
        state.services = arr(obj(answer).services);
        state.servicesLoaded = true;
        renderServices(state.services);
      }
    }, function (error) {
      if (current()) {
        setError('api/services', error);
      }
    });
    round.push(loaded.then(function () {
      if (!state.servicesLoaded || !current()) {
        return null;
      }
      return Promise.all([
        api('GET', 'api/providers').then(function (answer) {
          if (current()) {
            setError('api/providers', null);
            renderProviders(answer);
          }
        }, function (error) {
          if (current()) {
            setError('api/providers', error);
          }
        }),
        api('GET', 'api/metrics').then(function (answer) {
          if (current()) {
            setError('api/metrics', null);
            renderMetrics(answer);
          }
        }, function (error) {
          if (current()) {
            setError('api/metrics', error);
          }
        })
      ]);
    }));
    Promise.all(round).then(function () {
      if (current()) {
        state.timer = setTimeout(function () {
          poll(generation);
        }, POLL_MS);
      }
    });
  }

  // --------------------------------------------------------------------------------------------------- server

  function renderServer(server) {
    var s = obj(server);
    $('server-name').textContent = s.name || '';
    var stateBadge = $('server-state');
    stateBadge.textContent = s.state || '';
    stateBadge.setAttribute('data-state', s.state || '');
    var registered = $('server-registered');
    if (server && typeof s.registered === 'boolean') {
      registered.textContent = s.registered ? 'registered' : 'not registered';
      registered.setAttribute('data-registered', String(s.registered));
    } else {
      registered.textContent = '';
      registered.setAttribute('data-registered', '');
    }
    text('server-registry', server ? (s.registry === null || s.registry === undefined ? 'none' : s.registry) : null);
    var addresses = obj(s.addresses);
    text('server-addresses', Object.keys(addresses).map(function (name) {
      return name + ' ' + addresses[name];
    }).join(' · '));
    text('server-inflight', s.inFlight);
    text('server-started', server ? fmtTime(s.startTime) : null);
    var actions = obj(s.actions);
    var running = s.state === 'RUNNING';
    $('action-offline').disabled = !(running && actions.offline === true);
    $('action-online').disabled = !(running && actions.online === true);
    $('action-drain').disabled = !(running && actions.drain === true);
    if (server) {
      document.title = 'Courier console — ' + (s.name || '');
    }
    var where = !server ? '' : s.registry ? 'Called through generic invocation by the console\'s client, through '
        + 'the cluster: any provider of ' + 'this service\'s version and group that the balancer picks.'
        : 'Called through generic invocation by the console\'s client, on this server.';
    document.querySelectorAll('p.try-note').forEach(function (note) {
      note.textContent = where;
    });
    document.querySelectorAll('form.try button[type=submit]').forEach(function (button) {
      button.disabled = server ? actions.call === false : false;
      button.title = actions.call === false ? 'this caller may not call through the console (courier.Console/call)'
          : '';
    });
  }

  function operatorAction(action) {
    var name = state.server && state.server.name ? state.server.name : 'this server';
    if (action === 'drain' && !window.confirm('Drain ' + name + '? It withdraws its registrations, finishes the'
        + ' calls in flight and shuts down; the console goes with it.')) {
      return;
    }
    ['offline', 'online', 'drain'].forEach(function (other) {
      $('action-' + other).disabled = true;
    });
    api('POST', 'api/' + action).then(function (answer) {
      var a = obj(answer);
      notice(action + ': ' + (a.state || '') + ', ' + (a.registered ? 'registered' : 'not registered'), false);
      if (state.server) {
        state.server.state = a.state;
        state.server.registered = a.registered;
      }
      setError('api/' + action, null);
      refreshSoon();
    }, function (error) {
      notice(action + ' failed: ' + error.describe(), true);
      setError('api/' + action, error);
      refreshSoon();
    });
  }

  /** Polls at once instead of in up to 2 s (after an action). */
  function refreshSoon() {
    if (!state.connected) {
      return;
    }
    clearTimeout(state.timer);
    state.generation++;
    poll(state.generation);
  }

  // ------------------------------------------------------------------------------------------------- services

  function renderServices(services) {
    var main = $('services');
    main.replaceChildren();
    if (services.length === 0) {
      main.appendChild(el('p', {'class': 'hint', text: 'This server exports no service.'}));
    }
    var nav = el('nav', {'class': 'toc', 'aria-label': 'services'});
    services.forEach(function (service) {
      var s = obj(service);
      nav.appendChild(el('a', {href: '#service-' + s.name, text: s.name}));
    });
    if (services.length > 1) {
      main.appendChild(nav);
    }
    services.forEach(function (service) {
      main.appendChild(serviceSection(obj(service)));
    });
    document.body.setAttribute('data-services-loaded', String(services.length));
    if (state.server) {
      renderServer(state.server);
    }
  }

  function serviceSection(s) {
    var methods = arr(s.methods);
    var section = el('section', {'class': 'service', id: 'service-' + s.name, 'data-service': s.name}, [
      el('header', {'class': 'service-head'}, [
        el('h2', {text: s.name}),
        s.version ? el('span', {'class': 'tag', text: 'version ' + s.version}) : null,
        s.group ? el('span', {'class': 'tag', text: 'group ' + s.group}) : null,
        el('span', {'class': 'muted', text: methods.length + (methods.length === 1 ? ' method' : ' methods')})
      ]),
      providersBlock(s.name)
    ]);
    var list = el('div', {'class': 'methods'});
    methods.forEach(function (method) {
      list.appendChild(methodCard(s, obj(method)));
    });
    section.appendChild(list);
    return section;
  }

  function providersBlock(service) {
    var table = el('table', {'class': 'providers', 'data-providers-for': service}, [
      el('thead', null, el('tr', null, ['provider', 'ports', 'weight', 'version / group', 'serializers', 'metadata',
        'started', 'health', 'ejected', 'in flight', 'failures'].map(function (title) {
        return el('th', {scope: 'col', text: title});
      }))),
      el('tbody', null, el('tr', {'class': 'empty'}, el('td', {colspan: 11, text: 'loading…'})))
    ]);
    return el('div', {'class': 'providers-block'}, [
      el('h3', null, ['Providers ', el('span', {'class': 'muted', 'data-providers-count': service})]),
      el('div', {'class': 'scroll'}, table)
    ]);
  }

  function methodCard(s, m) {
    var service = s.name;
    var id = service + '-' + m.name;
    var kind = m.kind || 'UNARY';
    var rest = obj(m.rest);
    var flags = [];
    if (m.oneWay) {
      flags.push('one-way');
    }
    if (m.idempotent) {
      flags.push('idempotent');
    }
    if (typeof m.timeoutMillis === 'number') {
      flags.push('timeout ' + m.timeoutMillis + ' ms');
    }
    var card = el('article', {'class': 'method', id: 'method-' + id, 'data-method': m.name, 'data-kind': kind}, [
      el('header', {'class': 'method-head'}, [
        el('h3', {text: m.name}),
        el('span', {'class': 'kind kind-' + kind.toLowerCase(), text: kind.replace('_', ' ').toLowerCase()}),
        rest.method ? el('code', {'class': 'route', title: 'REST route'}, [
          el('span', {'class': 'verb', text: rest.method}), ' ' + (rest.path || '')]) : null,
        flags.map(function (flag) {
          return el('span', {'class': 'tag', text: flag});
        })
      ]),
      el('div', {'class': 'signature'}, signature(m)),
      figuresBlock(service, m.name),
      schemasBlock(m)
    ]);
    if (kind === 'UNARY') {
      card.appendChild(tryBlock(s, m, id));
    }
    return card;
  }

  // -------------------------------------------------------------------------------------------------- schemas

  function refName(ref) {
    var at = String(ref).lastIndexOf('/');
    return decodeURIComponent(String(ref).slice(at + 1)).replace(/~1/g, '/').replace(/~0/g, '~');
  }

  /** A short, readable type of a schema: "User", "array of string", "string (date)", "ADMIN | GUEST". */
  function typeText(schema) {
    var s = obj(schema);
    if (s.$ref) {
      return refName(s.$ref);
    }
    if (Array.isArray(s.enum)) {
      return s.enum.map(function (value) {
        return typeof value === 'string' ? value : JSON.stringify(value);
      }).join(' | ');
    }
    if (s.const !== undefined) {
      return JSON.stringify(s.const);
    }
    var type = s.type;
    if (Array.isArray(type)) {
      return type.join(' | ');
    }
    switch (type) {
      case 'array':
        return (s.uniqueItems ? 'set of ' : 'array of ') + typeText(s.items);
      case 'object':
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return 'map of ' + (s.propertyNames ? typeText(s.propertyNames) : 'string') + ' → '
              + typeText(s.additionalProperties);
        }
        if (s.properties) {
          return (s.title || 'object') + ' {' + Object.keys(s.properties).join(', ') + '}';
        }
        return s.title || 'object';
      case 'string':
        if (s.contentEncoding) {
          return 'string (' + s.contentEncoding + ')';
        }
        if (s.minLength === 1 && s.maxLength === 1) {
          return 'char';
        }
        return s.format ? 'string (' + s.format + ')' : (s.pattern ? 'string /' + s.pattern + '/' : 'string');
      case 'integer':
      case 'number':
        return s.format ? type + ' (' + s.format + ')' : type;
      case undefined:
        if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
          return (s.oneOf || s.anyOf).map(typeText).join(' | ');
        }
        return Object.keys(s).filter(function (name) {
          return name !== '$schema' && name !== '$defs' && name !== 'description';
        }).length === 0 ? 'any' : 'object';
      default:
        return String(type);
    }
  }

  /** The $defs a schema's $refs reach, in order of first use, from every schema given. */
  function reachableDefs(schemas) {
    var defs = {};
    schemas.forEach(function (schema) {
      var own = obj(obj(schema).$defs);
      Object.keys(own).forEach(function (name) {
        defs[name] = own[name];
      });
    });
    var order = [];
    var seen = {};
    function walk(node) {
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      if (!node || typeof node !== 'object') {
        return;
      }
      Object.keys(node).forEach(function (name) {
        if (name === '$defs') {
          return;
        }
        if (name === '$ref' && typeof node.$ref === 'string') {
          var target = refName(node.$ref);
          if (!seen[target] && defs[target]) {
            seen[target] = true;
            order.push(target);
            walk(defs[target]);
          }
        } else {
          walk(node[name]);
        }
      });
    }
    schemas.forEach(walk);
    return order.map(function (name) {
      return {name: name, schema: obj(defs[name])};
    });
  }

  function signature(m) {
    var args = arr(m.arguments);
    var parts = [el('span', {'class': 'sig-name', text: m.name}), '('];
    args.forEach(function (argument, i) {
      var a = obj(argument);
      if (i > 0) {
        parts.push(', ');
      }
      parts.push(el('span', {'class': 'sig-arg', text: a.name}), ': ', el('span', {'class': 'sig-type',
        text: typeText(a.schema)}));
    });
    parts.push(') → ', el('span', {'class': 'sig-type', text: m.oneWay ? 'nothing (one-way)'
        : (obj(m.result).type === 'null' ? 'void' : typeText(m.result))}));
    if (m.kind === 'SERVER_STREAMING' || m.kind === 'BIDI_STREAMING') {
      parts.push(el('span', {'class': 'muted', text: ' (a stream)'}));
    }
    return parts;
  }

  function schemaFacts(s) {
    var facts = [];
    var bounded = s.format === 'int32' || s.format === 'int64';  // the format says the bounds
    ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems'].forEach(function (name) {
      if (s[name] !== undefined && !(bounded && (name === 'minimum' || name === 'maximum'))) {
        facts.push(name + ' ' + s[name]);
      }
    });
    if (Array.isArray(s.examples) && s.examples.length > 0) {
      facts.push('e.g. ' + JSON.stringify(s.examples[0]));
    }
    if (s['x-oneof']) {
      facts.push('oneof ' + s['x-oneof']);
    }
    if (s.description) {
      facts.push(s.description);
    }
    return facts.join(' · ');
  }

  function defTable(def) {
    var s = def.schema;
    var properties = obj(s.properties);
    var names = Object.keys(properties);
    var required = arr(s.required);
    var block = el('div', {'class': 'def', 'data-def': def.name}, [
      el('h5', null, [def.name, el('span', {'class': 'muted', text: ' ' + (names.length > 0 ? 'object'
          : typeText(s))})])
    ]);
    if (s.description) {
      block.appendChild(el('p', {'class': 'muted', text: s.description}));
    }
    if (names.length > 0) {
      block.appendChild(el('table', {'class': 'props'}, names.map(function (name) {
        var p = obj(properties[name]);
        return el('tr', null, [
          el('th', {scope: 'row', text: name + (required.indexOf(name) >= 0 ? ' *' : '')}),
          el('td', {'class': 'sig-type', text: typeText(p)}),
          el('td', {'class': 'muted', text: schemaFacts(p)})
        ]);
      })));
    }
    return block;
  }

  function schemasBlock(m) {
    var args = arr(m.arguments);
    var schemas = args.map(function (a) {
      return obj(a).schema;
    });
    schemas.push(m.result);
    var body = el('div', {'class': 'schemas-body'});
    var rows = args.map(function (argument) {
      var a = obj(argument);
      return el('tr', null, [el('th', {scope: 'row', text: a.name}), el('td', {'class': 'sig-type',
        text: typeText(a.schema)}), el('td', {'class': 'muted', text: schemaFacts(obj(a.schema))})]);
    });
    rows.push(el('tr', {'class': 'result-row'}, [el('th', {scope: 'row', text: '→ result'}),
      el('td', {'class': 'sig-type', text: obj(m.result).type === 'null' ? 'void' : typeText(m.result)}),
      el('td', {'class': 'muted', text: schemaFacts(obj(m.result))})]));
    body.appendChild(el('table', {'class': 'props'}, rows));
    reachableDefs(schemas).forEach(function (def) {
      body.appendChild(defTable(def));
    });
    var raw = el('details', {'class': 'raw'}, [el('summary', {text: 'JSON Schema (2020-12)'}),
      el('pre', {text: pretty({arguments: args, result: m.result})})]);
    body.appendChild(raw);
    return el('details', {'class': 'schemas'}, [el('summary', {text: 'Arguments and types'}), body]);
  }

  // ------------------------------------------------------------------------------------------------ providers

  function renderProviders(answer) {
    var a = obj(answer);
    var byService = {};
    arr(a.services).forEach(function (entry) {
      var e = obj(entry);
      byService[e.service] = e;
    });
    document.querySelectorAll('table[data-providers-for]').forEach(function (table) {
      var service = table.getAttribute('data-providers-for');
      var entry = byService[service];
      var providers = entry ? arr(entry.providers) : [];
      var tbody = table.tBodies[0];
      tbody.replaceChildren();
      if (providers.length === 0) {
        tbody.appendChild(el('tr', {'class': 'empty'}, el('td', {colspan: 11, text: a.registry
            ? 'no provider in ' + a.registry + ' (with this server\'s version and group)' : 'none'})));
      }
      providers.forEach(function (provider) {
        tbody.appendChild(providerRow(obj(provider)));
      });
      var count = document.querySelector('[data-providers-count="' + cssString(service) + '"]');
      if (count) {
        count.textContent = providers.length + (a.registry ? ' in ' + a.registry : ' (no registry: this server)');
      }
    });
  }

  function cssString(value) {
    return String(value).replace(/["\\]/g, '\\$&');
  }

  function providerRow(p) {
    var ports = obj(p.ports);
    var portNames = Object.keys(ports);
    var first = portNames.length > 0 ? ports[portNames[0]] : '';
    var metadata = obj(p.metadata);
    var health = p.health || 'UNKNOWN';
    return el('tr', {
      'class': p.self ? 'self' : null,
      'data-provider': p.address + ':' + first,
      'data-self': String(!!p.self),
      'data-health': health,
      'data-ejected': String(!!p.ejected)
    }, [
      el('td', null, [el('code', {text: p.address}), p.self ? el('span', {'class': 'tag self-tag',
        text: 'this server'}) : null]),
      el('td', {text: portNames.map(function (name) {
        return name + ' ' + ports[name];
      }).join(', ')}),
      el('td', {'class': 'num', text: p.weight}),
      el('td', {text: (p.version || '–') + ' / ' + (p.group || '–')}),
      el('td', {text: arr(p.serializers).join(', ')}),
      el('td', {text: Object.keys(metadata).map(function (name) {
        return name + '=' + metadata[name];
      }).join(', ') || '–'}),
      el('td', {text: fmtTime(p.startTime)}),
      el('td', null, el('span', {'class': 'badge health-' + health.toLowerCase(), text: health})),
      el('td', null, p.ejected ? el('span', {'class': 'badge ejected', text: 'ejected'}) : 'no'),
      el('td', {'class': 'num', text: p.inFlight === undefined ? '–' : p.inFlight}),
      el('td', {'class': 'num', text: p.consecutiveFailures === undefined ? '–' : p.consecutiveFailures})
    ]);
  }

  // -------------------------------------------------------------------------------------------------- metrics

  function figuresBlock(service, method) {
    var k = key(service, method);
    function figure(name, label) {
      return el('div', {'class': 'figure'}, [el('span', {'class': 'label', text: label}),
        el('span', {'class': 'value', 'data-figure': name, text: '–'})]);
    }
    return el('div', {'class': 'figures', 'data-figures': k}, [
      el('div', {'class': 'numbers'}, [
        figure('callsPerSecond', 'calls/s'),
        figure('p50Ms', 'p50'),
        figure('p99Ms', 'p99'),
        figure('inFlight', 'in flight'),
        figure('calls', 'calls'),
        el('div', {'class': 'figure errors'}, [el('span', {'class': 'label', text: 'errors'}),
          el('span', {'class': 'value', 'data-figure': 'errors', text: '–'})])
      ]),
      el('div', {'class': 'chart-box'}, [
        chart(k, []),
        el('div', {'class': 'legend'}, [
          el('span', {'class': 'key calls', text: 'calls/s'}), ' ',
          el('span', {'class': 'key p99', text: 'p99'}), ' ',
          el('span', {'class': 'muted', 'data-chart-scale': k})
        ])
      ])
    ]);
  }

  var CHART_W = 300;
  var CHART_H = 64;
  var CHART_TOP = 4;

  /** An SVG chart of the one-second buckets: bars for calls (errors in red on top), a line for p99. */
  function chart(k, series) {
    var n = Math.max(series.length, 60);
    var bw = CHART_W / n;
    var maxCalls = 0;
    var maxP99 = 0;
    var used = 0;
    series.forEach(function (bucket) {
      var b = obj(bucket);
      maxCalls = Math.max(maxCalls, b.calls || 0);
      if (b.calls > 0) {
        used++;
        maxP99 = Math.max(maxP99, b.p99Ms || 0);
      }
    });
    var height = CHART_H - CHART_TOP;
    var root = svg('svg', {
      'class': 'chart', viewBox: '0 0 ' + CHART_W + ' ' + CHART_H, width: CHART_W, height: CHART_H,
      role: 'img', 'data-chart': k, 'data-buckets': used,
      'aria-label': 'calls per second and p99 latency of ' + k + ', last minute'
    });
    root.appendChild(svg('title', {text: k + ': up to ' + maxCalls + ' calls/s and a p99 of up to ' + fmtMs(maxP99)
        + ' a second over the last minute'}));
    root.appendChild(svg('rect', {'class': 'plot', x: 0, y: 0, width: CHART_W, height: CHART_H}));
    [0.5].forEach(function (fraction) {
      var y = (CHART_TOP + height * fraction).toFixed(1);
      root.appendChild(svg('line', {'class': 'grid', x1: 0, x2: CHART_W, y1: y, y2: y}));
    });
    var path = '';
    var previous = false;
    series.forEach(function (bucket, i) {
      var b = obj(bucket);
      var x = i * bw;
      var calls = b.calls || 0;
      var errors = Math.min(b.errors || 0, calls);
      if (calls > 0) {
        var h = Math.max(1, height * calls / maxCalls);
        var bar = svg('rect', {'class': 'bar', x: (x + 0.5).toFixed(1), y: (CHART_H - h).toFixed(1),
          width: Math.max(bw - 1, 0.5).toFixed(1), height: h.toFixed(1)});
        bar.appendChild(svg('title', {text: new Date((b.t || 0) * 1000).toLocaleTimeString() + ': ' + calls
            + ' calls, ' + errors + ' errors, p50 ' + fmtMs(b.p50Ms) + ', p99 ' + fmtMs(b.p99Ms)}));
        root.appendChild(bar);
        if (errors > 0) {
          var eh = Math.max(1, height * errors / maxCalls);
          root.appendChild(svg('rect', {'class': 'bar-error', x: (x + 0.5).toFixed(1),
            y: (CHART_H - eh).toFixed(1), width: Math.max(bw - 1, 0.5).toFixed(1), height: eh.toFixed(1)}));
        }
        var px = (x + bw / 2).toFixed(1);
        var py = (CHART_H - 1 - (height - 2) * (maxP99 > 0 ? (b.p99Ms || 0) / maxP99 : 0)).toFixed(1);
        path += (previous ? ' L' : ' M') + px + ' ' + py + (previous ? '' : ' h0.01');
        previous = true;
      } else {
        previous = false;
      }
    });
    if (path) {
      root.appendChild(svg('path', {'class': 'p99', d: path.trim()}));
    }
    if (used === 0) {
      root.appendChild(svg('text', {'class': 'empty', x: CHART_W / 2, y: CHART_H / 2 + 4, 'text-anchor': 'middle',
        text: 'no calls in the last minute'}));
    }
    root.setAttribute('data-max-calls', String(maxCalls));
    root.setAttribute('data-max-p99', String(maxP99));
    return root;
  }

  function renderMetrics(answer) {
    var byKey = {};
    arr(obj(answer).methods).forEach(function (entry) {
      var m = obj(entry);
      byKey[key(m.service, m.method)] = m;
    });
    document.querySelectorAll('[data-figures]').forEach(function (block) {
      var k = block.getAttribute('data-figures');
      var m = byKey[k];
      var last = obj(m && m.lastMinute);
      function set(name, value) {
        var node = block.querySelector('[data-figure="' + name + '"]');
        if (node) {
          node.textContent = value;
        }
      }
      set('callsPerSecond', m ? fmtRate(last.callsPerSecond) : '–');
      set('p50Ms', m ? fmtMs(last.p50Ms) : '–');
      set('p99Ms', m ? fmtMs(last.p99Ms) : '–');
      set('inFlight', m && m.inFlight !== undefined ? String(m.inFlight) : '–');
      set('calls', m && m.calls !== undefined ? String(m.calls) : '–');
      var errorsNode = block.querySelector('[data-figure="errors"]');
      errorsNode.replaceChildren();
      var errors = obj(m && m.errors);
      var codes = Object.keys(errors);
      if (codes.length === 0) {
        errorsNode.textContent = m ? 'none' : '–';
      }
      codes.forEach(function (code) {
        errorsNode.appendChild(el('span', {'class': 'badge error-code', 'data-error-code': code,
          text: code + ' ' + errors[code]}));
      });
      var old = block.querySelector('svg[data-chart]');
      var series = arr(m && m.series);
      var fresh = chart(k, series);
      old.replaceWith(fresh);
      var scale = block.querySelector('[data-chart-scale]');
      scale.textContent = fresh.getAttribute('data-buckets') === '0' ? 'last minute'
          : 'last minute · max ' + fresh.getAttribute('data-max-calls') + '/s · p99 ≤ '
          + fmtMs(Number(fresh.getAttribute('data-max-p99')));
    });
  }

  // --------------------------------------------------------------------------------------------------- try it

  /** The example arguments as JSON text: on one line when short, else indented. */
  function exampleText(m) {
    if (typeof m.example === 'string') {
      return m.example;
    }
    var example = Array.isArray(m.example) ? m.example : (Array.isArray(m.exampleArguments) ? m.exampleArguments
        : []);
    var line = JSON.stringify(example);
    return line.length <= 60 ? line : pretty(example);
  }

  function tryBlock(s, m, id) {
    var service = s.name;
    var args = el('textarea', {name: 'args', rows: Math.min(12, Math.max(2, exampleText(m).split('\n').length)),
      spellcheck: 'false', 'aria-label': 'arguments of ' + m.name + ' as a JSON array'});
    args.value = exampleText(m);
    var timeout = el('input', {name: 'timeoutMs', type: 'number', min: 1, step: 1,
      value: typeof m.timeoutMillis === 'number' ? m.timeoutMillis : 5000, 'aria-label': 'timeout in milliseconds'});
    var result = el('div', {'class': 'result', id: 'result-' + id, 'data-status': '', 'aria-live': 'polite'});
    var form = el('form', {'class': 'try', id: 'try-' + id, 'data-service': service, 'data-method': m.name}, [
      el('label', null, ['arguments (a JSON array)', args]),
      el('div', {'class': 'try-row'}, [
        el('label', null, ['timeout (ms) ', timeout]),
        el('button', {type: 'submit', text: 'Call'}),
        el('button', {type: 'button', 'class': 'secondary', 'data-reset': 'example', text: 'Example'})
      ])
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      tryCall(s, m.name, args, timeout, result);
    });
    form.querySelector('[data-reset]').addEventListener('click', function () {
      args.value = exampleText(m);
    });
    return el('details', {'class': 'try-block'}, [
      el('summary', {id: 'try-open-' + id, text: 'Try it'}), el('p', {'class': 'try-note muted'}), form, result]);
  }

  function tryCall(s, method, args, timeout, result) {
    var body = args.value.trim();
    try {
      if (!Array.isArray(JSON.parse(body))) {
        throw new Error('the arguments must be a JSON array, such as [42] or []');
      }
    } catch (e) {
      showResult(result, 'INVALID_ARGUMENTS', [el('div', {'class': 'status-line'}, [
        el('span', {'class': 'badge status-bad', 'data-part': 'status', text: 'not sent'}),
        ' ' + (e instanceof SyntaxError ? 'the arguments are not JSON: ' + e.message : e.message)])]);
      return;
    }
    var query = 'service=' + encodeURIComponent(s.name) + '&method=' + encodeURIComponent(method);
    var ms = parseInt(timeout.value, 10);
    if (ms > 0) {
      query += '&timeoutMs=' + ms;
    }
    if (s.version) {
      query += '&version=' + encodeURIComponent(s.version);
    }
    if (s.group) {
      query += '&group=' + encodeURIComponent(s.group);
    }
    result.setAttribute('data-status', 'pending');
    result.replaceChildren(el('span', {'class': 'muted', text: 'calling…'}));
    var started = performance.now();
    api('POST', 'api/call?' + query, body).then(function (answer) {
      var a = obj(answer);
      var ok = a.status === 'OK';
      var parts = [el('div', {'class': 'status-line'}, [
        el('span', {'class': 'badge ' + (ok ? 'status-ok' : 'status-bad'), 'data-part': 'status',
          text: a.status || '?'}),
        ' ',
        el('span', {'class': 'muted', text: 'call '}),
        el('span', {'data-part': 'latency', text: fmtMs(a.latencyMs)}),
        el('span', {'class': 'muted', text: ' · ' + fmtMs(performance.now() - started) + ' from this page'})
      ])];
      if (a.description) {
        parts.push(el('p', {'class': 'description', 'data-part': 'description', text: a.description}));
      }
      if (Object.prototype.hasOwnProperty.call(a, 'result')) {
        parts.push(el('pre', {'class': 'json', 'data-part': 'result', text: pretty(a.result)}));
      }
      parts.push(keyValues('headers', a.headers), keyValues('trailers', a.trailers));
      showResult(result, a.status || '', parts);
    }, function (error) {
      showResult(result, 'HTTP ' + error.status, [el('div', {'class': 'status-line'}, [
        el('span', {'class': 'badge status-bad', 'data-part': 'status', text: error.status === 'network'
            ? 'no answer' : 'HTTP ' + error.status}),
        ' ' + error.describe()])]);
    });
  }

  function keyValues(name, map) {
    var m = obj(map);
    var names = Object.keys(m);
    return el('details', {'class': 'kv', 'data-part': name, open: names.length > 0 && name === 'trailers'}, [
      el('summary', {text: name + ' (' + names.length + ')'}),
      names.length === 0 ? el('p', {'class': 'muted', text: 'none'}) : el('table', {'class': 'props'},
          names.map(function (k) {
            var value = m[k];
            return el('tr', null, [el('th', {scope: 'row', text: k}),
              el('td', {text: typeof value === 'string' ? value : JSON.stringify(value)})]);
          }))
    ]);
  }

  function showResult(result, status, parts) {
    result.replaceChildren();
    append(result, parts);
    result.setAttribute('data-status', status);
  }

  // ------------------------------------------------------------------------------------------------------ start

  function start() {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var token = $('token').value.trim();
      sessionStorage.setItem(TOKEN_KEY, token);
      notice('', false);
      connect(token);
    });
    $('token-forget').addEventListener('click', forget);
    ['offline', 'online', 'drain'].forEach(function (action) {
      $('action-' + action).addEventListener('click', function () {
        operatorAction(action);
      });
    });
    var stored = sessionStorage.getItem(TOKEN_KEY);
    if (stored !== null) {
      $('token').value = stored;
      connect(stored);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
