// The checkpoint scan page (/checkpoint/{id}) and its chooser (/checkpoint). Plain script, no build step, no framework.
// Every record goes through a queue in localStorage first and leaves it only when the server answered 200 for it, so a
// dropped connection loses nothing and a record sent twice (same client-made id) is counted once by the server.
(function () {
  'use strict';
  var LAST_KEY = 'shouwang.checkpoint.last';
  var BATCH = 100;

  function $(id) { return document.getElementById(id); }

  // Pages set up once per element: an enhanced page update may hand the same elements back.
  var booted = new WeakSet();

  function initChooser(root) {
    if (booted.has(root)) return;
    booted.add(root);
    var last = localStorage.getItem(LAST_KEY);
    root.querySelectorAll('a.cps-choice').forEach(function (link) {
      if (link.dataset.checkpointId !== last) return;
      link.querySelector('.cps-last').hidden = false;
      var item = link.closest('li');
      item.parentNode.insertBefore(item, item.parentNode.firstChild);
    });
  }

  var send = window.ShouwangScan.send;
  var unreachable = window.ShouwangScan.unreachable;

  function errorList(data) {
    var errors = (data && data.errors) || {};
    return Object.keys(errors).map(function (key) { return { key: key, messages: [].concat(errors[key]) }; });
  }

  function initScan(app) {
    if (booted.has(app)) return;
    booted.add(app);
    var checkpointId = app.dataset.checkpointId;
    var api = '/api/v1/checkpoints/' + checkpointId;
    var queueKey = 'shouwang.checkpoint.queue.' + checkpointId;
    var vehicleKey = 'shouwang.checkpoint.vehicle.' + checkpointId;
    var strings = JSON.parse($('scan-strings').textContent);
    function t(key) {
      var args = Array.prototype.slice.call(arguments, 1);
      return (strings[key] || key).replace(/\{(\d)\}/g, function (m, i) { return args[i] === undefined ? '' : String(args[i]); });
    }
    localStorage.setItem(LAST_KEY, checkpointId);

    var input = $('scan-input'), scanForm = $('scan-form'), result = $('result'), message = $('scan-message');
    var temperature = $('temperature'), visitorForm = $('visitor-form'), vehicleForm = $('vehicle-form');
    var state = {
      kind: sessionStorage.getItem('shouwang.checkpoint.kind.' + checkpointId) || app.dataset.direction,
      scan: null, input: '', mask: true, busy: false, onDuty: app.dataset.onDuty === 'true',
      vehicle: readJson(vehicleKey, null)
    };
    var results = {};
    var finalFor = null;
    var backoff = 0, retryTimer = null;

    function readJson(key, fallback) {
      try { var value = JSON.parse(localStorage.getItem(key)); return value === null ? fallback : value; } catch (e) { return fallback; }
    }

    // ---- connection state and the queue ----
    function setOnline(online) {
      var net = $('net-state');
      net.dataset.online = online ? 'true' : 'false';
      net.textContent = online ? t('Scan.Online') : t('Scan.Offline');
    }

    function loadQueue() { return readJson(queueKey, []); }

    function saveQueue(queue) {
      localStorage.setItem(queueKey, JSON.stringify(queue));
      renderQueue(queue);
    }

    function renderQueue(queue) {
      var pending = $('pending');
      pending.dataset.count = String(queue.length);
      pending.textContent = t('Scan.Pending', queue.length);
      $('sync-now').hidden = queue.length === 0;
      var refused = queue.filter(function (item) { return item.errors; });
      var list = $('sync-error-list');
      list.textContent = '';
      refused.forEach(function (item) {
        var row = document.createElement('li');
        row.dataset.id = item.id;
        row.appendChild(document.createTextNode(item.label + '：' + item.errors.join('；') + ' '));
        var discard = document.createElement('button');
        discard.type = 'button';
        discard.className = 'cps-small';
        discard.dataset.discard = item.id;
        discard.textContent = t('Scan.Discard');
        row.appendChild(discard);
        list.appendChild(row);
      });
      $('sync-errors').hidden = refused.length === 0;
    }

    function enqueue(item) {
      var queue = loadQueue();
      queue.push(item);
      saveQueue(queue);
    }

    function remove(ids) {
      saveQueue(loadQueue().filter(function (item) { return ids.indexOf(item.id) < 0; }));
    }

    function markRefused(items, data, indexed) {
      var errors = errorList(data);
      var byId = {};
      items.forEach(function (item, i) {
        var prefix = 'Passages[' + i + ']';
        var own = errors.filter(function (e) { return !indexed || e.key.indexOf(prefix + '.') === 0 || e.key === prefix; });
        if (indexed && own.length === 0) return;
        byId[item.id] = own.reduce(function (all, e) { return all.concat(e.messages); }, []);
        if (byId[item.id].length === 0) byId[item.id] = [t('Scan.Error')];
      });
      // A 400 naming no row (e.g. the batch as a whole) holds back the whole batch: none of it can be taken as sent.
      if (Object.keys(byId).length === 0) items.forEach(function (item) { byId[item.id] = errors.length ? errors[0].messages : [t('Scan.Error')]; });
      saveQueue(loadQueue().map(function (item) {
        if (byId[item.id]) item.errors = byId[item.id];
        return item;
      }));
      Object.keys(byId).forEach(function (id) { results[id] = { refused: byId[id] }; });
    }

    // One pass over the queue: vehicles first (their occupants' passages point at them), then passages in batches.
    function runFlush() {
      function step() {
        var queue = loadQueue();
        var vehicle = queue.filter(function (item) { return item.type === 'vehicle' && !item.errors; })[0];
        if (vehicle) {
          return send('POST', api + '/vehicles', vehicle.body).then(function (answer) {
            if (answer.status === 200) {
              results[vehicle.id] = answer.data || {};
              remove([vehicle.id]);
              return step();
            }
            if (answer.status === 400) { markRefused([vehicle], answer.data, false); return step(); }
            return answer;
          });
        }
        var waitingVehicles = queue.filter(function (item) { return item.type === 'vehicle'; }).map(function (item) { return item.id; });
        var batch = queue.filter(function (item) {
          return item.type === 'passage' && !item.errors && !(item.body.vehicleId && waitingVehicles.indexOf(item.body.vehicleId) >= 0);
        }).slice(0, BATCH);
        if (batch.length === 0) return Promise.resolve({ status: 200 });
        return send('POST', api + '/passages', { passages: batch.map(function (item) { return item.body; }) }).then(function (answer) {
          if (answer.status === 200 && answer.data && answer.data.results) {
            var done = [];
            answer.data.results.forEach(function (r) { results[r.id] = r; done.push(r.id); });
            remove(done);
            return step();
          }
          if (answer.status === 400) { markRefused(batch, answer.data, true); return step(); }
          return answer;
        });
      }
      return step().then(function (last) {
        setOnline(!unreachable(last));
        if (last.status === 401) showMessage(t('Scan.SessionExpired'), 'error');
        scheduleRetry(last.status !== 200);
      }).catch(function () { scheduleRetry(true); });
    }

    var chain = Promise.resolve(), waitingRun = null;
    // Runs never overlap; callers arriving while one waits to start share it.
    function flush() {
      if (!waitingRun) {
        waitingRun = chain = chain.then(function () { waitingRun = null; return runFlush(); });
      }
      return waitingRun;
    }

    function scheduleRetry(failed) {
      clearTimeout(retryTimer);
      var left = loadQueue().filter(function (item) { return !item.errors; }).length;
      if (!failed || left === 0) { backoff = 0; return; }
      backoff = Math.min(backoff ? backoff * 2 : 2000, 60000);
      retryTimer = setTimeout(flush, backoff);
    }

    // ---- messages and the result panel ----
    function showMessage(text, kind) {
      message.textContent = text;
      message.dataset.kind = kind || 'info';
      message.hidden = !text;
    }

    function isIdle() { return result.hidden && !scanForm.hidden && $('camera').hidden; }

    function focusInput() {
      if (!scanForm.hidden) { input.focus(); input.select(); }
    }

    function setKind(kind) {
      state.kind = kind;
      sessionStorage.setItem('shouwang.checkpoint.kind.' + checkpointId, kind);
      ['kind-entry', 'kind-exit'].forEach(function (id) {
        var button = $(id);
        button.setAttribute('aria-pressed', button.dataset.kind === kind ? 'true' : 'false');
      });
    }

    function setMask(on) {
      state.mask = on;
      $('mask-yes').setAttribute('aria-pressed', on ? 'true' : 'false');
      $('mask-no').setAttribute('aria-pressed', on ? 'false' : 'true');
    }

    function text(id, value) {
      var el = $(id);
      el.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    }

    function resetResult() {
      state.scan = null;
      result.hidden = true;
      result.reset();
      temperature.setCustomValidity('');
      visitorForm.hidden = true;
      visitorForm.disabled = true;
      setMask(true);
      $('confirm').disabled = false;
      input.value = '';
    }

    function showResult(scan, raw) {
      state.scan = scan;
      state.input = raw;
      $('final').hidden = true;
      showMessage('');
      result.reset();
      setMask(true);
      var banner = $('verdict-banner');
      var offline = !!scan.offline;
      banner.dataset.verdict = offline ? 'Offline' : scan.verdict;
      banner.textContent = offline ? t('Scan.OfflineBanner') : t('Scan.Verdict.' + scan.verdict);
      $('offline-note').hidden = !offline;
      $('subject').hidden = offline;
      if (!offline) {
        var chip = $('colour-chip');
        chip.dataset.colour = scan.colour || '';
        chip.textContent = scan.colour ? t('Scan.Colour.' + scan.colour) + ((scan.colourReasons || []).length ? '：' + scan.colourReasons.join('；') : '') : '';
        text('subject-name', scan.nameMasked || (scan.visitor && scan.visitor.name));
        text('subject-document', scan.documentMasked || (scan.visitor && scan.visitor.documentNumber));
        text('subject-address', scan.address || (scan.found ? (scan.livesHere ? t('Scan.LivesHere') : t('Scan.NotResident')) : ''));
        text('household-size', scan.householdSize);
        $('subject-facts').hidden = !scan.found && !scan.visitor;
        var reasons = $('reasons');
        reasons.textContent = '';
        (scan.reasons || []).forEach(function (reason) {
          var item = document.createElement('li');
          item.dataset.code = reason.code;
          item.dataset.verdict = reason.verdict;
          var label = document.createElement('strong');
          label.textContent = reason.label;
          item.appendChild(label);
          if (reason.detail) item.appendChild(document.createTextNode('：' + reason.detail));
          if (reason.basis) {
            var basis = document.createElement('small');
            basis.textContent = reason.basis;
            item.appendChild(basis);
          }
          reasons.appendChild(item);
        });
        if (!reasons.children.length) {
          var none = document.createElement('li');
          none.textContent = t('Scan.NoReasons');
          reasons.appendChild(none);
        }
        var quota = $('pass-quota');
        quota.hidden = !scan.pass;
        if (scan.pass) {
          quota.textContent = t('Scan.PassQuota', scan.pass.used, scan.pass.allowed, scan.pass.windowFirstDay, scan.pass.windowLastDay)
            + (scan.pass.openTrips ? ' · ' + t('Scan.OpenTrips', scan.pass.openTrips) : '');
        }
      }
      var visitor = !offline && !scan.found;
      visitorForm.hidden = !visitor;
      visitorForm.disabled = !visitor;
      result.hidden = false;
      if (visitor) {
        fillVisitor(scan.visitor, raw);
        var empty = Array.prototype.filter.call(visitorForm.querySelectorAll('input[required]'), function (el) { return !el.value; })[0];
        (empty || temperature).focus();
      } else {
        temperature.focus();
      }
    }

    function fillVisitor(known, raw) {
      var compact = raw.replace(/\s/g, '');
      $('visitor-document-type').value = (known && known.documentType) || 'ResidentIdCard';
      $('visitor-document-number').value = /^\d{17}[\dXx]$/.test(compact) ? compact.toUpperCase() : '';
      $('visitor-phone').value = /^1\d{10}$/.test(compact) ? compact : (known && known.phone && known.phone.indexOf('*') < 0 ? known.phone : '');
      $('visitor-name').value = (known && known.name && known.name.indexOf('*') < 0) ? known.name : '';
      $('visitor-reason').value = (known && known.reason) || '';
      $('visitor-destination').value = (known && known.destination) || '';
      visitorOrigin.set((known && known.originCode) || '');
    }

    function showFinal(verdict, lines) {
      var banner = $('final-banner');
      banner.dataset.verdict = verdict;
      banner.textContent = strings['Scan.Verdict.' + verdict] ? t('Scan.Verdict.' + verdict) : t('Scan.Recorded');
      $('final-detail').textContent = lines.filter(Boolean).join(' · ');
      $('final').hidden = false;
    }

    // ---- scanning ----
    function doScan(raw) {
      raw = (raw || '').trim();
      if (!raw || state.busy) return;
      state.busy = true;
      finalFor = null;
      showMessage(t('Scan.Looking'));
      send('POST', api + '/scan', { input: raw, kind: state.kind }).then(function (answer) {
        state.busy = false;
        if (answer.status === 200 && answer.data) {
          setOnline(true);
          showResult(answer.data, raw);
          if (loadQueue().length) flush();
        } else if (unreachable(answer)) {
          // No server: record what was scanned; the server decides once the record arrives.
          setOnline(false);
          showResult({ offline: true }, raw);
        } else if (answer.status === 401) {
          showMessage(t('Scan.SessionExpired'), 'error');
          focusInput();
        } else {
          var errors = errorList(answer.data);
          showMessage(t('Scan.Invalid') + '：' + (errors.length ? errors[0].messages.join('；') : (answer.data && answer.data.title) || t('Scan.Error')), 'error');
          $('final').hidden = true;
          focusInput();
        }
      });
    }

    function readTemperature() {
      var value = parseFloat(temperature.value.replace(/[。，,]/g, '.'));
      if (isNaN(value) || value < 34 || value > 43) return null;
      return Math.round(value * 10) / 10;
    }

    function confirmPassage() {
      if (!state.scan || state.busy) return;
      // A wedge scanner typing into the temperature field means the next person is already at the gate: look them up
      // (this one was never confirmed, so nothing is recorded for them).
      var typed = temperature.value.trim();
      if (typed.length > 6 && !/^[\d.。，,]+$/.test(typed)) { var next = typed; resetResult(); input.value = next; doScan(next); return; }
      var degrees = readTemperature();
      temperature.setCustomValidity(degrees === null ? t('Scan.Required', t('Scan.Temperature')) : '');
      if (!result.reportValidity()) return;
      var scan = state.scan;
      var body = {
        id: crypto.randomUUID(), at: new Date().toISOString(), kind: state.kind,
        temperature: degrees, mask: state.mask, offline: !!scan.offline,
        vehicleId: state.vehicle ? state.vehicle.id : null
      };
      if (scan.offline) {
        body.input = state.input;
      } else {
        body.ticket = scan.ticket;
        body.personId = scan.personId || null;
        body.householdId = scan.householdId || null;
      }
      if (!visitorForm.disabled) {
        var origin = visitorOrigin.value();
        if (!origin) { showMessage(t('Scan.Required', t('Scan.Origin')), 'error'); visitorOrigin.focus(); return; }
        body.visitor = {
          documentType: $('visitor-document-type').value, documentNumber: $('visitor-document-number').value.trim().toUpperCase(),
          name: $('visitor-name').value.trim(), phone: $('visitor-phone').value.trim(), originCode: origin,
          reason: $('visitor-reason').value.trim() || null, destination: $('visitor-destination').value.trim()
        };
        body.originCode = origin;
        if ($('visitor-doses')) body.vaccinationDoses = parseInt($('visitor-doses').value, 10);
      }
      var who = scan.offline ? state.input : (scan.nameMasked || (body.visitor && body.visitor.name) || state.input);
      var label = new Date().toLocaleTimeString() + ' ' + who + ' ' + t(state.kind === 'Entry' ? 'Scan.Entry' : 'Scan.Exit');
      enqueue({ type: 'passage', id: body.id, body: body, label: label });
      state.busy = true;
      $('confirm').disabled = true;
      countOccupant();
      // The next person shouldn't wait on a slow network: after a moment the record counts as queued, and the server's
      // answer replaces that note if it comes while nobody newer is on the screen.
      finalFor = body.id;
      var sent = flush();
      Promise.race([sent, new Promise(function (resolve) { setTimeout(resolve, 1500); })]).then(function () {
        state.busy = false;
        showOutcome(body.id, who, scan.offline);
        resetResult();
        showVehicle();
        focusInput();
        if (!results[body.id]) sent.then(function () { if (finalFor === body.id && results[body.id]) showOutcome(body.id, who, scan.offline); });
      });
    }

    function showOutcome(id, who, offline) {
      var answer = results[id];
      if (answer && answer.refused) {
        showFinal('Refused', [who, answer.refused.join('；')]);
      } else if (answer) {
        showFinal(answer.verdict, [
          who,
          answer.workOrderNumber ? t('Scan.WorkOrder', answer.workOrderNumber) : '',
          (answer.reasons || []).map(function (r) { return r.label + (r.detail ? '：' + r.detail : ''); }).join('；'),
          answer.duplicate ? t('Scan.Duplicate') : ''
        ]);
      } else {
        showFinal('Queued', [who, offline ? t('Scan.OfflineRecord') : '', t('Scan.Queued')]);
      }
      if (answer) delete results[id];
    }

    // ---- vehicles ----
    function saveVehicle(vehicle) {
      state.vehicle = vehicle;
      if (vehicle) localStorage.setItem(vehicleKey, JSON.stringify(vehicle)); else localStorage.removeItem(vehicleKey);
    }

    function countOccupant() {
      if (!state.vehicle) return;
      var vehicle = state.vehicle;
      vehicle.recorded += 1;
      saveVehicle(vehicle.recorded >= vehicle.occupants ? null : vehicle);
    }

    function showVehicle() {
      var mode = $('vehicle-mode').checked;
      var vehicle = state.vehicle;
      var registering = mode && !vehicle;
      vehicleForm.hidden = !registering;
      scanForm.hidden = registering;
      if (registering) result.hidden = true;
      $('vehicle-current').hidden = !vehicle;
      if (vehicle) {
        $('vehicle-summary').textContent = t('Scan.CurrentVehicle', vehicle.plate, vehicle.recorded, vehicle.occupants);
        var link = $('commitment-link');
        link.hidden = !vehicle.throughTraffic;
        link.href = vehicle.commitmentUrl || ('/checkpoints/vehicles/' + vehicle.id + '/commitment');
      }
    }

    function setThroughTraffic(on) {
      var commitment = $('commitment');
      commitment.hidden = !on;
      commitment.disabled = !on;
    }

    function registerVehicle(event) {
      event.preventDefault();
      if (!vehicleForm.reportValidity()) return;
      var through = $('through-traffic').checked;
      if (through && !signature.signed) { showMessage(t('Scan.SignatureRequired'), 'error'); return; }
      var body = {
        id: crypto.randomUUID(), at: new Date().toISOString(), kind: state.kind,
        plate: $('plate').value.replace(/\s/g, '').toUpperCase(), occupants: parseInt($('occupants').value, 10),
        originCode: vehicleOrigin.value() || null, destination: $('vehicle-destination').value.trim() || null, throughTraffic: through,
        commitmentSignerName: through ? $('signer-name').value.trim() : null,
        commitmentSignerPhone: through ? $('signer-phone').value.trim() : null,
        commitmentSignature: through ? signature.dataUrl() : null
      };
      enqueue({ type: 'vehicle', id: body.id, body: body, label: body.plate });
      saveVehicle({ id: body.id, plate: body.plate, occupants: body.occupants, recorded: 0, throughTraffic: through });
      showMessage('');
      vehicleForm.reset();
      signature.clear();
      setThroughTraffic(false);
      showVehicle();
      focusInput();
      flush().then(function () {
        var answer = results[body.id];
        delete results[body.id];
        if (answer && answer.commitmentUrl && state.vehicle && state.vehicle.id === body.id) {
          state.vehicle.commitmentUrl = answer.commitmentUrl;
          saveVehicle(state.vehicle);
          showVehicle();
        }
      });
    }

    function signaturePad(canvas) {
      var context = canvas.getContext('2d');
      var drawing = false;
      var pad = { signed: false };
      function point(event) {
        var box = canvas.getBoundingClientRect();
        return { x: (event.clientX - box.left) * canvas.width / box.width, y: (event.clientY - box.top) * canvas.height / box.height };
      }
      canvas.addEventListener('pointerdown', function (event) {
        drawing = true;
        canvas.setPointerCapture(event.pointerId);
        var p = point(event);
        context.lineWidth = 3;
        context.lineCap = 'round';
        context.strokeStyle = '#111';
        context.beginPath();
        context.moveTo(p.x, p.y);
      });
      canvas.addEventListener('pointermove', function (event) {
        if (!drawing) return;
        var p = point(event);
        context.lineTo(p.x, p.y);
        context.stroke();
        pad.signed = true;
      });
      ['pointerup', 'pointercancel'].forEach(function (name) { canvas.addEventListener(name, function () { drawing = false; }); });
      pad.clear = function () { context.clearRect(0, 0, canvas.width, canvas.height); pad.signed = false; };
      pad.dataUrl = function () { return canvas.toDataURL('image/png'); };
      return pad;
    }

    // ---- origins: province / city / county selects from the public origins list, a plain code field if it can't load ----
    function originPicker(root) {
      var levels = [t('Scan.ChooseProvince'), t('Scan.ChooseCity'), t('Scan.ChooseCounty')].map(function (label, i) {
        var select = document.createElement('select');
        select.id = root.id + '-' + i;
        select.setAttribute('aria-label', label);
        select.innerHTML = '<option value=""></option>';
        select.options[0].textContent = label;
        select.hidden = i > 0;
        root.appendChild(select);
        return select;
      });
      var fallback = document.createElement('input');
      fallback.id = root.id + '-code';
      fallback.inputMode = 'numeric';
      fallback.maxLength = 12;
      fallback.placeholder = t('Scan.OriginCode');
      fallback.title = t('Scan.OriginCodeHint');
      fallback.hidden = true;
      root.appendChild(fallback);
      var hint = document.createElement('small');
      hint.textContent = t('Scan.OriginCodeHint');
      hint.hidden = true;
      root.appendChild(hint);

      function children(parent) {
        var key = 'shouwang.origins.' + parent;
        var cached = readJson(key, null);
        if (cached) return Promise.resolve(cached);
        return send('GET', '/api/v1/public/origins?parent=' + encodeURIComponent(parent)).then(function (answer) {
          if (answer.status !== 200 || !Array.isArray(answer.data)) throw new Error('origins');
          try { localStorage.setItem(key, JSON.stringify(answer.data)); } catch (e) { /* full: fine, just not cached */ }
          return answer.data;
        });
      }

      function fill(level, parent) {
        for (var i = level; i < levels.length; i++) {
          levels[i].length = 1;
          levels[i].hidden = i > level;
        }
        return children(parent).then(function (options) {
          options.forEach(function (option) {
            var element = document.createElement('option');
            element.value = option.code;
            element.textContent = option.name;
            levels[level].appendChild(element);
          });
          levels[level].hidden = options.length === 0;
        }, function () {
          if (level > 0) return;
          levels.forEach(function (s) { s.hidden = true; });
          fallback.hidden = false;
          hint.hidden = false;
        });
      }

      levels.forEach(function (select, i) {
        select.addEventListener('change', function () {
          if (i + 1 < levels.length) {
            if (select.value) fill(i + 1, select.value); else levels.slice(i + 1).forEach(function (s) { s.length = 1; s.hidden = true; });
          }
        });
      });
      var ready = fill(0, '');

      return {
        value: function () {
          if (!fallback.hidden) return fallback.value.trim();
          for (var i = levels.length - 1; i >= 0; i--) if (levels[i].value) return levels[i].value;
          return '';
        },
        set: function (code) {
          fallback.value = code;
          ready = ready.then(function () {
            levels[0].value = '';
            levels.slice(1).forEach(function (s) { s.length = 1; s.hidden = true; });
            if (!code) return;
            var chain = [code.slice(0, 2), code.slice(0, 4), code.slice(0, 6)];
            if (code === '000000') chain = [code];
            return chain.reduce(function (step, part, i) {
              return step.then(function () {
                if (!Array.prototype.some.call(levels[i].options, function (o) { return o.value === part; })) return Promise.reject();
                levels[i].value = part;
                return i + 1 < levels.length && i + 1 < chain.length ? fill(i + 1, part) : null;
              });
            }, Promise.resolve()).catch(function () { /* a code the list doesn't know: leave the pickers empty */ });
          });
        },
        focus: function () { (fallback.hidden ? levels[0] : fallback).focus(); }
      };
    }

    // ---- duty ----
    function dutyNames(data) {
      var list = Array.isArray(data) ? data : (data && (data.items || data.onDuty || data.duty)) || null;
      if (!list) return null;
      return list.map(function (d) { return typeof d === 'string' ? d : (d.accountName || d.name || d.displayName || ''); }).filter(Boolean);
    }

    function renderDuty(names) {
      $('duty-names').textContent = names.length ? names.join('、') : t('Scan.NobodyOnDuty');
      $('duty-toggle').textContent = state.onDuty ? t('Scan.SignOut') : t('Scan.SignIn');
    }

    function toggleDuty() {
      var signingIn = !state.onDuty;
      send(signingIn ? 'POST' : 'DELETE', api + '/duty', {}).then(function (answer) {
        if (answer.status < 200 || answer.status >= 300) { showMessage(t('Scan.Error'), 'error'); return; }
        state.onDuty = signingIn;
        return send('GET', api + '/duty').then(function (list) {
          var names = list.status === 200 ? dutyNames(list.data) : null;
          if (!names) {
            var current = $('duty-names').textContent.split('、').filter(function (n) { return n && n !== t('Scan.NobodyOnDuty'); });
            names = signingIn ? current.concat(current.indexOf(app.dataset.caller) < 0 ? [app.dataset.caller] : [])
              : current.filter(function (n) { return n !== app.dataset.caller; });
          }
          renderDuty(names);
        });
      }).finally(focusInput);
    }

    // ---- camera ----
    var camera = window.ShouwangScan.camera($('camera'), $('camera-video'), app.dataset.jsqr, ['qr_code']);

    function openCamera() {
      camera.open(function (value) { input.value = value; doScan(value); },
        function () { showMessage(t('Scan.CameraUnavailable'), 'error'); focusInput(); });
    }

    // ---- wiring ----
    var signature = signaturePad($('signature'));
    var visitorOrigin = originPicker($('visitor-origin'));
    var vehicleOrigin = originPicker($('vehicle-origin'));

    scanForm.addEventListener('submit', function (event) { event.preventDefault(); doScan(input.value); });
    result.addEventListener('submit', function (event) { event.preventDefault(); confirmPassage(); });
    temperature.addEventListener('input', function () { temperature.setCustomValidity(''); });
    result.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { resetResult(); focusInput(); }
    });
    $('cancel').addEventListener('click', function () { resetResult(); focusInput(); });
    $('mask-yes').addEventListener('click', function () { setMask(true); });
    $('mask-no').addEventListener('click', function () { setMask(false); });
    app.querySelectorAll('.cps-temp').forEach(function (button) {
      button.addEventListener('click', function () { temperature.value = button.dataset.temperature; temperature.setCustomValidity(''); $('confirm').focus(); });
    });
    ['kind-entry', 'kind-exit'].forEach(function (id) {
      $(id).addEventListener('click', function () {
        var changed = state.kind !== $(id).dataset.kind;
        setKind($(id).dataset.kind);
        // A ticket is for one direction: look the same person up again for the other.
        if (changed && state.scan && !state.scan.offline) doScan(state.input);
        else if (isIdle()) focusInput();
      });
    });
    $('duty-toggle').addEventListener('click', toggleDuty);
    $('camera-open').addEventListener('click', openCamera);
    $('camera-close').addEventListener('click', function () { camera.close(); focusInput(); });
    $('sync-now').addEventListener('click', function () { backoff = 0; flush(); });
    $('sync-error-list').addEventListener('click', function (event) {
      var id = event.target.dataset && event.target.dataset.discard;
      if (id) { remove([id]); flush(); }
    });
    $('vehicle-mode').addEventListener('change', function () {
      if (!$('vehicle-mode').checked) saveVehicle(null);
      showVehicle();
      if (!vehicleForm.hidden) $('plate').focus(); else focusInput();
    });
    vehicleForm.addEventListener('submit', registerVehicle);
    $('through-traffic').addEventListener('change', function () { setThroughTraffic($('through-traffic').checked); });
    $('signature-clear').addEventListener('click', function () { signature.clear(); });
    $('vehicle-end').addEventListener('click', function () { saveVehicle(null); showVehicle(); if (!vehicleForm.hidden) $('plate').focus(); else focusInput(); });
    // The scan field keeps the focus whenever nothing else is being filled in: a wedge scanner just types.
    input.addEventListener('blur', function () {
      setTimeout(function () {
        if (isIdle() && (document.activeElement === document.body || document.activeElement === null)) focusInput();
      }, 200);
    });
    window.addEventListener('online', function () { setOnline(true); backoff = 0; flush(); });
    window.addEventListener('offline', function () { setOnline(false); });

    setKind(state.kind);
    if (state.vehicle) $('vehicle-mode').checked = true;
    showVehicle();
    renderQueue(loadQueue());
    setOnline(navigator.onLine);
    if (loadQueue().length) flush();
    if (vehicleForm.hidden) focusInput(); else $('plate').focus();
  }

  function boot() {
    var chooser = $('checkpoint-choose');
    if (chooser) initChooser(chooser);
    var app = $('scan-app');
    if (app) initScan(app);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
  // The pages turn enhanced navigation off; should one arrive that way anyway, set it up then.
  document.addEventListener('DOMContentLoaded', function () {
    if (window.Blazor && window.Blazor.addEventListener) window.Blazor.addEventListener('enhancedload', boot);
  });
})();
