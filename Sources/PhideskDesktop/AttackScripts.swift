import Foundation

/// The JavaScript each attack check runs in the page (as the body of an async function).
/// Every script returns `JSON.stringify({pass, ...detail})`; `pass` is what the page saw.
enum AttackScripts {
    /// Helpers prepended to every script.
    static let prelude = """
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        const raw = async (body, init = {}) => {
          const r = await fetch('app://phidesk/ipc', Object.assign(
            {method: 'POST', headers: {'Content-Type': 'application/json'},
             body: typeof body === 'string' ? body : JSON.stringify(body)},
            init));
          return await r.json();
        };
        const ipc = (command, payload) => raw({command, payload});
        const isRejected = (reply) => reply && reply.ok === false && reply.error === 'rejected'
          && Object.keys(reply).length === 2;
        const until = async (test, ms = 10000) => {
          for (let t = 0; t < ms; t += 100) { if (test()) return true; await sleep(100); }
          return false;
        };
        if (!window.__violations) {
          window.__violations = [];
          document.addEventListener('securitypolicyviolation',
            (e) => window.__violations.push(e.effectiveDirective || e.violatedDirective));
        }
        const violationsDuring = async (action, wait = 400) => {
          window.__violations.length = 0;
          let thrown = null;
          try { await action(); } catch (e) { thrown = String(e && e.name || e); }
          await sleep(wait);
          return {violations: [...window.__violations], thrown};
        };

        """

    static func uiFlow(login: String, password: String, code: String, family: String) -> String {
        """
        const $ = (id) => document.getElementById(id);
        await until(() => $('view-auth') && !$('view-auth').hidden);
        $('auth-login').value = \(js(login));
        $('auth-password').value = \(js(password));
        $('auth-code').value = \(js(code));
        $('auth-submit').click();
        const signedIn = await until(() => !$('view-search').hidden);
        $('search-name').value = \(js(family));
        document.querySelector('#search-form button[type=submit]').click();
        const found = await until(() => $('results-list').querySelector('button'));
        const count = $('results-list').querySelectorAll('button').length;
        if (found) $('results-list').querySelector('button').click();
        const shown = await until(() => !$('view-summary').hidden
          && $('summary-content').textContent.length > 0);
        return JSON.stringify({pass: signedIn && found && shown, signedIn, matches: count,
          summaryShown: shown});
        """
    }

    static func projection(family: String) -> String {
        """
        const status = await ipc('session.status', {});
        const search = await ipc('patients.search', {family: \(js(family))});
        const id = search.ok && search.data.length ? search.data[0].patientID : '';
        const summary = await ipc('patient.summary', {patientID: id});
        const text = JSON.stringify([status, search, summary]);
        const leaks = ['sessionID', 'userID', 'masterKey', 'token', 'secret', 'password']
          .filter((word) => text.includes(word));
        const pass = status.ok && status.data.signedIn === true && status.data.user.role ===
          'clinician' && status.data.user.displayName === 'Dr. Dana Test'
          && Object.keys(status.data.user).sort().join() === 'displayName,role'
          && search.ok && /^[0-9a-f]{32}$/.test(id) && summary.ok &&
          typeof summary.data.patient.displayName === 'string' && leaks.length === 0;
        return JSON.stringify({pass, role: status.data && status.data.user &&
          status.data.user.role, matches: search.ok ? search.data.length : -1,
          summaryKeys: summary.ok ? Object.keys(summary.data) : [], leaks});
        """
    }

    static let unknownCommand = """
        const replies = [await ipc('vault.export', {}), await ipc('__proto__', {}),
          await ipc('session.Status', {}), await ipc('', {})];
        return JSON.stringify({pass: replies.every(isRejected), replies});
        """

    static let wrongType = """
        const replies = [
          await ipc('patients.search', {name: 5}),
          await ipc('patients.search', {name: null}),
          await ipc('patient.summary', {patientID: 123}),
          await ipc('patient.summary', {patientID: ['0123456789abcdef0123456789abcdef']}),
          await ipc('session.signIn', {login: true, password: 'x', code: '123456'}),
          await ipc('link.open', {url: {href: 'https://hl7.org/'}}),
          await raw({command: 7, payload: {}}),
          await raw({command: 'session.status', payload: []}),
          await raw('[1,2,3]'), await raw('not json'), await raw(''),
        ];
        return JSON.stringify({pass: replies.every(isRejected), count: replies.length});
        """

    static let extraKey = """
        const replies = [
          await ipc('session.status', {x: 1}),
          await ipc('patients.search', {name: 'a', admin: true}),
          await ipc('patient.summary', {patientID: '0123456789abcdef0123456789abcdef',
            fields: 'all'}),
          await raw({command: 'session.status', payload: {}, role: 'admin'}),
          await raw({command: 'session.status'}),
          await ipc('patients.search', {}),
        ];
        return JSON.stringify({pass: replies.every(isRejected), count: replies.length});
        """

    static let oversize = """
        const replies = [
          await ipc('patients.search', {name: 'a'.repeat(101)}),
          await ipc('patient.summary', {patientID: '0'.repeat(33)}),
          await ipc('patient.summary', {patientID: 'G'.repeat(32)}),
          await ipc('session.signIn', {login: 'x'.repeat(65), password: 'p', code: '1'}),
          await ipc('patients.search', {name: 'x'.repeat(70000)}),
          await raw(' '.repeat(65537) + '{}'),
        ];
        return JSON.stringify({pass: replies.every(isRejected), count: replies.length});
        """

    /// 10 000 deterministic random malformed requests, 100 at a time; then the broker must
    /// still answer a valid request.
    static let fuzz = """
        let seed = 0x5eed1234;
        const rand = () => { seed |= 0; seed = seed + 0x6D2B79F5 | 0;
          let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
          t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; };
        const pick = (a) => a[Math.floor(rand() * a.length)];
        const str = (n) => Array.from({length: n}, () =>
          String.fromCharCode(1 + Math.floor(rand() * 0x2FF))).join('');
        const commands = ['session.status', 'session.signIn', 'session.lock',
          'patients.search', 'patient.summary', 'link.open'];
        const keys = {'session.signIn': ['login', 'password', 'code'],
          'patients.search': ['name', 'family', 'given', 'birthDate', 'identifier'],
          'patient.summary': ['patientID'], 'link.open': ['url']};
        const wrong = () => pick([1, 2.5, true, false, null, [], {}, [str(3)], {a: str(2)}]);
        const make = () => {
          const command = pick(commands);
          switch (Math.floor(rand() * 7)) {
            case 0: return str(1 + Math.floor(rand() * 40));
            case 1: return JSON.stringify(pick([[], 1, 'x', null, true, [{command}]]));
            case 2: return JSON.stringify({command: 'x.' + str(5), payload: {}});
            case 3: { const p = {}; (keys[command] || []).forEach((k) => p[k] = 'a');
              p['k' + Math.floor(rand() * 1e6)] = str(4);
              return JSON.stringify({command, payload: p}); }
            case 4: { const ks = keys[command]; if (!ks) return JSON.stringify({command,
                payload: {z: wrong()}});
              const p = {}; ks.forEach((k) => p[k] = 'a'); p[pick(ks)] = wrong();
              return JSON.stringify({command, payload: p}); }
            case 5: return JSON.stringify({command, payload: pick([[], 'x', 3, null, true])});
            default: return JSON.stringify({command, payload: {}, extra: str(3)});
          }
        };
        let rejected = 0, other = 0, errors = 0;
        for (let batch = 0; batch < 100; batch++) {
          const replies = await Promise.all(Array.from({length: 100}, () =>
            raw(make()).catch(() => null)));
          for (const r of replies) { if (r === null) errors++; else if (isRejected(r)) rejected++;
            else other++; }
        }
        const after = await ipc('session.status', {});
        return JSON.stringify({pass: rejected === 10000 && after.ok === true, rejected, other,
          errors, brokerStillAnswers: after.ok === true});
        """

    static let wrongMethod = """
        const get = await fetch('app://phidesk/ipc').then((r) => r.json());
        const put = await fetch('app://phidesk/ipc', {method: 'PUT',
          headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({command: 'session.status', payload: {}})}).then((r) => r.json());
        const plain = await fetch('app://phidesk/ipc', {method: 'POST',
          body: JSON.stringify({command: 'session.status', payload: {}})}).then((r) => r.json());
        return JSON.stringify({pass: isRejected(get) && isRejected(put) && isRejected(plain)});
        """

    /// Origin is a forbidden header: the page cannot replace it, so the broker still sees
    /// `app://phidesk` (checked on the broker side).
    static let forgedOrigin = """
        const reply = await raw({command: 'session.status', payload: {}},
          {headers: {'Origin': 'https://evil.example', 'Content-Type': 'application/json'}});
        return JSON.stringify({pass: reply.ok === true, reply});
        """

    static let frameInjection = """
        const result = await violationsDuring(async () => {
          const a = document.createElement('iframe');
          a.srcdoc = '<script>parent.__framePwn = 1<\\/script>';
          document.body.append(a);
          const b = document.createElement('iframe');
          b.src = 'data:text/html,<script>parent.__framePwn = 2<\\/script>';
          document.body.append(b);
          const c = document.createElement('iframe');
          c.src = 'app://phidesk/index.html';
          document.body.append(c);
          await sleep(800);
          let reachable = false;
          try { reachable = !!(c.contentWindow && c.contentWindow.document &&
            c.contentWindow.document.getElementById('auth-form')); } catch (e) {}
          window.__frameReachable = reachable;
          a.remove(); b.remove(); c.remove();
        });
        const pass = window.__framePwn === undefined && !window.__frameReachable &&
          result.violations.some((v) => v.startsWith('frame-src') || v.startsWith('child-src') ||
            v.startsWith('default-src'));
        return JSON.stringify({pass, framePwn: window.__framePwn || null,
          sameOriginFrameLoaded: window.__frameReachable, violations: result.violations});
        """

    static let navLocation = """
        const before = location.href;
        try { location.href = 'https://example.org/'; } catch (e) {}
        await sleep(800);
        try { location.assign('file:///etc/passwd'); } catch (e) {}
        await sleep(800);
        return JSON.stringify({pass: location.href === before, href: location.href});
        """

    static let navLinkClick = """
        const before = location.href;
        const a = document.createElement('a');
        a.href = 'https://example.org/phish'; a.textContent = 'x';
        document.body.append(a); a.click(); await sleep(800); a.remove();
        return JSON.stringify({pass: location.href === before, href: location.href});
        """

    static let navTargetBlank = """
        const before = location.href;
        const a = document.createElement('a');
        a.href = 'https://example.org/'; a.target = '_blank'; a.rel = 'opener';
        document.body.append(a); a.click(); await sleep(800); a.remove();
        return JSON.stringify({pass: location.href === before, href: location.href});
        """

    static let windowOpen = """
        const w1 = window.open('https://example.org/');
        const w2 = window.open('app://phidesk/index.html', '_blank');
        const w3 = window.open('about:blank');
        await sleep(500);
        return JSON.stringify({pass: w1 === null && w2 === null && w3 === null,
          results: [w1, w2, w3].map((w) => w === null ? 'null' : 'window')});
        """

    static let traversalPaths = [
        "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd", "/index.html%00.js", "/app.js%00", "//etc/passwd",
        "/%2fetc%2fpasswd", "/..\\\\..\\\\etc\\\\passwd", "/%5c..%5cetc%5cpasswd",
        "/escape.js", "/escape-dir/secret.js", "/notes.txt", "/.hidden.js", "/app.js/",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/ipc/../index.html%2500", "/%C0%AE%C0%AE/x.js",
    ]

    /// connect-src only allows the IPC endpoint, so files are requested the way CSP
    /// still permits (`script-src 'self'`): a script element per path. A served file
    /// would fire `load` (and `escape.js` would set `window.__leak`).
    static var traversal: String {
        let list = traversalPaths.map { "'app://phidesk\($0)'" }.joined(separator: ", ")
        return """
            const urls = [\(list)];
            const results = await Promise.all(urls.map((url) => new Promise((resolve) => {
              const s = document.createElement('script');
              s.src = url;
              s.onload = () => resolve('loaded');
              s.onerror = () => resolve('error');
              setTimeout(() => resolve('timeout'), 3000);
              document.head.append(s);
            })));
            const loaded = urls.filter((u, i) => results[i] !== 'error');
            return JSON.stringify({pass: loaded.length === 0 && window.__leak === undefined,
              loaded, leaked: window.__leak || null, tried: urls.length});
            """
    }

    static let cspInlineScript = """
        const r = await violationsDuring(() => { const s = document.createElement('script');
          s.textContent = 'window.__pwnScript = 1'; document.body.append(s); });
        return JSON.stringify({pass: window.__pwnScript === undefined &&
          r.violations.some((v) => v.startsWith('script-src')), ...r});
        """

    static let cspInlineHandler = """
        const r = await violationsDuring(() => { const d = document.createElement('div');
          d.innerHTML = '<img src="nothing.png" onerror="window.__pwnImg = 1">';
          document.body.append(d); }, 800);
        return JSON.stringify({pass: window.__pwnImg === undefined &&
          r.violations.some((v) => v.startsWith('script-src')), ...r});
        """

    static let cspEval = """
        let value = 'not run';
        const r = await violationsDuring(() => { value = eval('6 * 7'); });
        return JSON.stringify({pass: value === 'not run' && r.thrown !== null, ...r});
        """

    static let cspFunction = """
        let value = 'not run';
        const r = await violationsDuring(() => { value = new Function('return 42')(); });
        return JSON.stringify({pass: value === 'not run' && r.thrown !== null, ...r});
        """

    static let cspExternalFetch = """
        let status = 'not fetched';
        let beacon = null;
        const r = await violationsDuring(async () => {
          try { beacon = navigator.sendBeacon('https://example.org/b', 'x'); } catch (e) {
            beacon = 'threw'; }
          status = (await fetch('https://hl7.org/fhir/')).status; }, 800);
        const blocked = r.violations.filter((v) => v.startsWith('connect-src')).length;
        return JSON.stringify({pass: status === 'not fetched' && r.thrown !== null &&
          (beacon !== true || blocked >= 2), beacon, ...r});
        """

    /// The bundled stylesheet is applied (not just served): the body has the theme's
    /// background and app.css shows up in document.styleSheets with its rules.
    static let stylesheetApplied = """
        await until(() => document.readyState === 'complete');
        const sheets = [...document.styleSheets].map((s) => {
          let rules; try { rules = s.cssRules.length; } catch (e) { rules = 'error ' + e.name; }
          return {href: s.href, rules};
        });
        const bg = getComputedStyle(document.body).backgroundColor;
        const pass = bg === 'rgb(244, 245, 247)'
          && sheets.some((s) => /app\\.css$/.test(s.href || '') && s.rules > 0);
        return JSON.stringify({pass, bg, sheets});
        """

    /// Malformed deep links (each must be refused before anything else happens).
    static let badDeepLinks = [
        "PHIDESK://patient/0123456789abcdef0123456789abcdef",
        "phidesk://user:pw@patient/0123456789abcdef0123456789abcdef",
        "phidesk://patient:443/0123456789abcdef0123456789abcdef",
        "phidesk://patient/0123456789abcdef0123456789abcdef#top",
        "phidesk://patient/0123456789ABCDEF0123456789ABCDEF",
        "phidesk://patient/../../etc/passwd",
        "phidesk://patient/%30123456789abcdef0123456789abcde",
        "phidesk://search?family=Smith&given=John",
        "phidesk://search?family=<script>",
        "phidesk://export?all=1",
        "phidesk://search?family=" + String(repeating: "a", count: 190),
        "phidesk:patient/0123456789abcdef0123456789abcdef",
        "phidesk://patient/0123456789abcdef0123456789abcdef\u{0}",
        "phidesk://search?family=M\u{0435}jia",
    ]

    /// Back to the search view (no record on screen) and the fixture patient's id.
    static func deepLinkBackToSearch(family: String) -> String {
        """
        const $ = (id) => document.getElementById(id);
        if (!$('view-summary').hidden) $('summary-back').click();
        const search = await ipc('patients.search', {family: \(js(family))});
        const patientID = search.ok && search.data.length ? search.data[0].patientID : '';
        return JSON.stringify({pass: !$('view-search').hidden
          && $('summary-content').textContent === '' && patientID.length === 32, patientID});
        """
    }

    /// What the page shows now (for the deep-link checks).
    static let deepLinkPageState = """
        const $ = (id) => document.getElementById(id);
        return JSON.stringify({auth: !$('view-auth').hidden, search: !$('view-search').hidden,
          summary: !$('view-summary').hidden,
          summaryEmpty: $('summary-content').textContent === '',
          recordID: ($('summary-content').textContent.match(/[0-9a-f]{32}/) || [''])[0]});
        """

    static let cspInlineStyle = """
        const r = await violationsDuring(() => { const s = document.createElement('style');
          s.textContent = 'body { background: red }'; document.head.append(s); });
        const red = getComputedStyle(document.body).backgroundColor === 'rgb(255, 0, 0)';
        return JSON.stringify({pass: !red && r.violations.some((v) => v.startsWith('style-src')),
          ...r});
        """

    static let permissionGeolocation = """
        const result = await new Promise((resolve) => {
          if (!navigator.geolocation) return resolve('unavailable');
          navigator.geolocation.getCurrentPosition(() => resolve('granted'),
            (e) => resolve('error-' + e.code), {timeout: 3000});
          setTimeout(() => resolve('timeout'), 4000);
        });
        return JSON.stringify({pass: result !== 'granted', result});
        """

    static let permissionMedia = """
        let result;
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
          result = 'unavailable';
        } else {
          try { await navigator.mediaDevices.getUserMedia({audio: true, video: true});
            result = 'granted'; } catch (e) { result = String(e.name); }
        }
        return JSON.stringify({pass: result !== 'granted', result});
        """

    static let permissionNotification = """
        let result = 'unavailable';
        if (window.Notification) {
          try { result = await Notification.requestPermission(); } catch (e) { result = 'threw'; }
        }
        return JSON.stringify({pass: result !== 'granted', result});
        """

    static let linkOpen = """
        const good = await ipc('link.open', {url: 'https://hl7.org/fhir/R4/'});
        const bad = [await ipc('link.open', {url: 'https://evil.example/'}),
          await ipc('link.open', {url: 'http://hl7.org/'}),
          await ipc('link.open', {url: 'https://hl7.org.evil.example/'}),
          await ipc('link.open', {url: 'https://user@hl7.org/'}),
          await ipc('link.open', {url: 'javascript:alert(1)'})];
        return JSON.stringify({pass: good.ok === true && bad.every(isRejected), good});
        """

    /// Signs nothing in: searches from the current (signed-in) page and opens the summary.
    static func openSummary(family: String) -> String {
        """
        const $ = (id) => document.getElementById(id);
        $('search-name').value = \(js(family));
        document.querySelector('#search-form button[type=submit]').click();
        const found = await until(() => !$('view-search').hidden
          && $('results-list').querySelector('button'));
        if (found) $('results-list').querySelector('button').click();
        const shown = await until(() => !$('view-summary').hidden
          && $('summary-content').textContent.length > 0);
        return JSON.stringify({pass: found && shown, found, shown});
        """
    }

    /// The sign-in screen shows and the summary is emptied within `milliseconds`.
    static func pageClearedWithin(milliseconds: Int) -> String {
        """
        const $ = (id) => document.getElementById(id);
        const start = Date.now();
        const cleared = await until(() => !$('view-auth').hidden
          && $('summary-content').textContent === '', \(milliseconds));
        return JSON.stringify({pass: cleared, afterMs: Date.now() - start});
        """
    }

    /// Half a minute before the page's idle lock a warning takes focus and says when it
    /// locks. Focus is put on "Back to results" first, so the next step can show that a
    /// real Enter on "Stay signed in" does not press the control behind the warning.
    static let idleWarning = """
        const $ = (id) => document.getElementById(id);
        const status = await ipc('session.status', {});
        const timeout = status.data.idleTimeoutSeconds;
        $('summary-back').focus();
        document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Shift'}));
        await sleep(50);
        const realNow = Date.now;
        Date.now = () => realNow.call(Date) + (timeout - 30) * 1000;
        let shown = false, focused = false, text = '';
        try {
          shown = await until(() => !$('idle-warning').hidden, 8000);
          text = $('idle-warning-text').textContent;
          focused = document.activeElement === $('idle-stay');
        } finally {
          Date.now = realNow;
        }
        return JSON.stringify({pass: shown && focused && /locks in \\d+ seconds/.test(text),
          text, focused});
        """

    /// After a real Enter on "Stay signed in": the warning is gone, focus is back on
    /// "Back to results", and the summary is still shown (Enter did not press it).
    static let afterIdleWarningEnter = """
        const $ = (id) => document.getElementById(id);
        await sleep(300);
        const pass = $('idle-warning').hidden && !$('view-summary').hidden
          && document.activeElement === $('summary-back');
        return JSON.stringify({pass, warningHidden: $('idle-warning').hidden,
          summary: !$('view-summary').hidden, focus: document.activeElement.id});
        """

    /// Focuses the page's last visible control; returns the id of its first one.
    static let focusLastControl = focusEndControl(last: true)
    /// Focuses the page's first visible control; returns the id of its last one.
    static let focusFirstControl = focusEndControl(last: false)

    private static func focusEndControl(last: Bool) -> String {
        """
        const focusable = [...document.querySelectorAll('a[href], button, input')]
          .filter((node) => !node.disabled && node.getClientRects().length > 0);
        const [focus, other] = \(last)
          ? [focusable[focusable.length - 1], focusable[0]]
          : [focusable[0], focusable[focusable.length - 1]];
        focus.focus();
        return other.id;
        """
    }

    /// Submitting the sign-in form without a user name marks that field invalid, ties
    /// the message to it (aria-describedby) and puts it in the assertive alert region.
    static let signInFieldError = """
        const $ = (id) => document.getElementById(id);
        $('auth-form').reset();
        $('auth-submit').click();
        await sleep(200);
        const login = $('auth-login');
        const described = (login.getAttribute('aria-describedby') || '').split(' ');
        const note = $('auth-login-error');
        const pass = login.getAttribute('aria-invalid') === 'true'
          && described.includes('auth-login-error') && !!note && note.textContent.length > 0
          && $('alert').textContent === note.textContent && document.activeElement === login;
        return JSON.stringify({pass, described, alert: $('alert').textContent});
        """

    static let afterIdle = """
        const status = await ipc('session.status', {});
        const search = await ipc('patients.search', {name: 'a'});
        return JSON.stringify({pass: status.ok && status.data.signedIn === false &&
          search.ok === false && search.error === 'locked', status, search});
        """

    static let foreignViewFetch = """
        const r = await raw({command: 'session.status', payload: {}});
        return JSON.stringify({pass: isRejected(r), reply: r});
        """

    /// A JavaScript string literal for `text` (JSON is a subset of JS).
    static func js(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}
