// The sampler's page (/sampling/{site}/{round}). Plain script, no build step, no framework.
// Opening a tube, each scanned person and sealing by hand go through a queue in localStorage first, in the order they were
// made, and leave it only when the server answered 200/201 for them: a dropped connection loses nothing, and a sample sent
// twice (same client-made id) is answered "duplicate" and counted once by the server and once here.
(function () {
  'use strict';
  var BATCH = 50;
  var ID_NUMBER = /^\d{17}[\dXx]$/;
  var CODE = /^SW[PH]\d:/i;

  function $(id) { return document.getElementById(id); }

  var send = window.ShouwangScan.send;
  var unreachable = window.ShouwangScan.unreachable;

  function problemText(data, fallback) {
    if (data && data.errors) {
      var all = [];
      Object.keys(data.errors).forEach(function (key) { all = all.concat(data.errors[key]); });
      if (all.length) return all.join('；');
    }
    return (data && (data.detail || data.title)) || fallback;
  }

  // A time-ordered id (UUID version 7): the server's samples are keyed by it, and ids that grow with time go in at the
  // end of that index instead of at a random page of it (each random page is one more page in the commit).
  function newId() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    var ms = Date.now();
    for (var i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
    b[6] = (b[6] & 0x0f) | 0x70; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function init(app) {
    var siteId = app.dataset.siteId;
    var roundId = app.dataset.roundId;
    var poolSize = parseInt(app.dataset.poolSize, 10) || 1;
    var api = '/api/v1/sampling';
    var key = 'shouwang.sampling.' + siteId + '.' + roundId;
    var strings = JSON.parse($('sampling-strings').textContent);
    var input = $('scan-input');

    function t(name) {
      var args = Array.prototype.slice.call(arguments, 1);
      return (strings[name] || name).replace(/\{(\d)\}/g, function (m, i) { return args[i] === undefined ? '' : String(args[i]); });
    }
    function readJson(k, fallback) {
      try { var v = JSON.parse(localStorage.getItem(k)); return v === null ? fallback : v; } catch (e) { return fallback; }
    }

    // tubes: barcode -> { capacity, state, members: [{ sampleId, name, pending, warnings, error }] } as this device knows them.
    var state = readJson(key + '.state', { current: null, tubes: {}, box: null });
    function saveState() { localStorage.setItem(key + '.state', JSON.stringify(state)); }
    function loadQueue() { return readJson(key + '.queue', []); }
    function saveQueue(queue) { localStorage.setItem(key + '.queue', JSON.stringify(queue)); renderQueue(queue); }

    function tube(barcode) {
      var found = state.tubes[barcode];
      if (!found) found = state.tubes[barcode] = { capacity: poolSize, state: 'Open', members: [] };
      return found;
    }
    function countOf(tb) { return tb.members.filter(function (m) { return !m.error; }).length; }

    // ---- messages and rendering ----
    function showMessage(text, kind) {
      var box = $('scan-message');
      box.textContent = text;
      box.dataset.kind = kind || 'info';
      box.hidden = !text;
    }

    function setOnline(online) {
      var net = $('net-state');
      net.dataset.online = online ? 'true' : 'false';
      net.textContent = online ? t('Page.Online') : t('Page.Offline');
    }

    function renderQueue(queue) {
      var waiting = queue.filter(function (item) { return !item.error; }).length;
      var pending = $('pending');
      pending.dataset.count = String(waiting);
      pending.textContent = t('Page.Pending', waiting);
      $('sync-now').hidden = waiting === 0;
      var refused = queue.filter(function (item) { return item.error; });
      var list = $('sync-error-list');
      list.innerHTML = '';
      refused.forEach(function (item) {
        var li = document.createElement('li');
        li.textContent = (item.label || '') + '：' + item.error + ' ';
        var discard = document.createElement('button');
        discard.type = 'button';
        discard.className = 'cps-small';
        discard.dataset.discard = item.id;
        discard.textContent = t('Page.Discard');
        li.appendChild(discard);
        list.appendChild(li);
      });
      $('sync-errors').hidden = refused.length === 0;
    }

    function renderTube() {
      var current = state.current && state.tubes[state.current];
      $('tube-panel').dataset.open = current ? 'true' : 'false';
      $('tube-none').hidden = !!current;
      $('tube-current').hidden = !current;
      var mode = current ? 'person' : 'tube';
      $('scan-label').textContent = $('scan-label').dataset[mode];
      input.placeholder = input.dataset[mode];
      var members = $('members');
      members.innerHTML = '';
      if (current) {
        $('tube-barcode').textContent = state.current;
        var count = countOf(current);
        $('tube-count').textContent = count + '/' + current.capacity;
        $('tube-count').dataset.full = count >= current.capacity ? 'true' : 'false';
        current.members.forEach(function (m, i) { members.appendChild(memberRow(m, i + 1)); });
      }
      $('members-empty').hidden = !!(current && current.members.length);
      var open = Object.keys(state.tubes).filter(function (b) { return b !== state.current && state.tubes[b].state === 'Open'; });
      var list = $('open-tubes');
      list.innerHTML = '';
      open.forEach(function (b) {
        var li = document.createElement('li');
        li.textContent = b + ' · ' + countOf(state.tubes[b]) + '/' + state.tubes[b].capacity + ' ';
        var resume = document.createElement('button');
        resume.type = 'button';
        resume.className = 'cps-small';
        resume.dataset.resume = b;
        resume.textContent = t('Tube.Resume');
        li.appendChild(resume);
        list.appendChild(li);
      });
      $('open-tubes-panel').hidden = open.length === 0;
    }

    function memberRow(m, n) {
      var li = document.createElement('li');
      li.dataset.sampleId = m.sampleId;
      li.dataset.state = m.error ? 'refused' : m.pending ? 'pending' : 'ok';
      var name = document.createElement('span');
      name.className = 'smp-name';
      name.textContent = n + '. ' + (m.name || m.input || '');
      li.appendChild(name);
      if (m.pending && !m.error) {
        var p = document.createElement('em');
        p.textContent = t('Members.Pending');
        li.appendChild(p);
      }
      (m.warnings || []).forEach(function (w) {
        var warn = document.createElement('span');
        warn.className = 'smp-warning';
        warn.dataset.code = w.code;
        warn.textContent = w.label;
        li.appendChild(warn);
      });
      if (m.error) {
        var err = document.createElement('span');
        err.className = 'smp-error';
        err.textContent = m.error;
        li.appendChild(err);
      }
      if (!m.pending && !m.error) {
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'cps-small';
        remove.dataset.remove = m.sampleId;
        remove.textContent = t('Members.Remove');
        var move = document.createElement('button');
        move.type = 'button';
        move.className = 'cps-small';
        move.dataset.move = m.sampleId;
        move.textContent = t('Members.Move');
        li.appendChild(remove);
        li.appendChild(move);
      }
      return li;
    }

    function renderBox(box) {
      state.box = box && box.state === 'Packing' ? { number: box.number, tubes: box.tubes.length } : null;
      saveState();
      $('box-current').hidden = !state.box;
      if (state.box) $('box-summary').textContent = t('Box.Summary', state.box.number, state.box.tubes);
    }

    // ---- the server's view of a tube replaces ours, except for members still waiting in the queue ----
    function mergeTube(view) {
      var tb = tube(view.barcode);
      var waiting = tb.members.filter(function (m) { return m.pending || m.error; });
      tb.capacity = view.capacity;
      tb.state = view.state;
      tb.members = view.members.map(function (m) {
        var known = tb.members.filter(function (x) { return x.sampleId === m.sampleId; })[0];
        return { sampleId: m.sampleId, name: m.name, warnings: known ? known.warnings : [] };
      }).concat(waiting.filter(function (m) { return !view.members.some(function (x) { return x.sampleId === m.sampleId; }); }));
      if (view.state !== 'Open' && state.current === view.barcode) state.current = null;
      if (view.state !== 'Open' && !tb.members.some(function (m) { return m.pending; })) delete state.tubes[view.barcode];
    }

    // ---- the queue ----
    function enqueue(item) {
      var queue = loadQueue();
      queue.push(item);
      saveQueue(queue);
      flush();
    }

    function dropFromQueue(ids) {
      saveQueue(loadQueue().filter(function (item) { return ids.indexOf(item.id) < 0; }));
    }

    function refuse(ids, messages) {
      saveQueue(loadQueue().map(function (item) {
        var i = ids.indexOf(item.id);
        if (i >= 0) item.error = messages[i];
        return item;
      }));
      ids.forEach(function (id, i) {
        Object.keys(state.tubes).forEach(function (b) {
          state.tubes[b].members.forEach(function (m) { if (m.sampleId === id) { m.error = messages[i]; m.pending = false; } });
        });
      });
      saveState();
      renderTube();
    }

    function sendOne(item) {
      if (item.type === 'tube') {
        return send('POST', api + '/tubes', item.body).then(function (answer) {
          if (unreachable(answer)) return false;
          if (answer.status === 200 || answer.status === 201) { mergeTube(answer.data); dropFromQueue([item.id]); }
          else {
            // The tube could not be opened: its waiting samples can't go anywhere either.
            var ids = [item.id].concat(loadQueue().filter(function (q) { return q.type === 'sample' && q.body.tubeBarcode === item.body.barcode; }).map(function (q) { return q.id; }));
            var text = problemText(answer.data, t('Scan.Error'));
            refuse(ids, ids.map(function () { return text; }));
            if (state.current === item.body.barcode) state.current = null;
            showMessage(text, 'error');
          }
          return true;
        });
      }
      return send('POST', api + '/tubes/' + encodeURIComponent(item.barcode) + '/seal').then(function (answer) {
        if (unreachable(answer)) return false;
        if (answer.status === 200) mergeTube(answer.data);
        else showMessage(problemText(answer.data, t('Scan.Error')), 'error');
        dropFromQueue([item.id]);
        return true;
      });
    }

    function sendSamples(items) {
      return send('POST', api + '/samples', { samples: items.map(function (item) { return item.body; }) }).then(function (answer) {
        if (unreachable(answer)) return false;
        if (answer.status === 200) {
          answer.data.results.forEach(function (r) {
            var tb = tube(r.tubeBarcode);
            tb.members.forEach(function (m) {
              if (m.sampleId !== r.id) return;
              m.pending = false; m.name = r.name; m.warnings = r.warnings || [];
            });
            tb.capacity = r.tubeCapacity;
            if (r.tubeSealed) {
              tb.state = 'Sealed';
              if (state.current === r.tubeBarcode) state.current = null;
            }
            if (r.warnings && r.warnings.length) showMessage(r.name + '：' + r.warnings.map(function (w) { return w.label; }).join('；'), 'warning');
          });
          Object.keys(state.tubes).forEach(function (b) {
            var tb = state.tubes[b];
            if (tb.state !== 'Open' && !tb.members.some(function (m) { return m.pending; })) delete state.tubes[b];
          });
          dropFromQueue(items.map(function (item) { return item.id; }));
          saveState();
          renderTube();
          return true;
        }
        // 400: the messages name the rows ("Samples[3].Input"); a row with none of its own gets the first message.
        var errors = (answer.data && answer.data.errors) || {};
        var fallback = problemText(answer.data, t('Scan.Error'));
        var own = items.map(function (item, i) {
          var mine = [];
          Object.keys(errors).forEach(function (k) { if (k.indexOf('Samples[' + i + ']') === 0) mine = mine.concat(errors[k]); });
          return mine.length ? mine.join('；') : null;
        });
        if (own.some(function (m) { return m; })) {
          // Only the named rows are refused; the others go again on their own.
          var bad = items.filter(function (item, i) { return own[i]; });
          refuse(bad.map(function (item) { return item.id; }), own.filter(function (m) { return m; }));
        } else refuse(items.map(function (item) { return item.id; }), items.map(function () { return fallback; }));
        return true;
      });
    }

    var flushing = false;
    var again = false;
    var backoff = 0;
    var retryTimer = null;

    function flush() {
      if (flushing) { again = true; return; }
      flushing = true;
      function step() {
        var queue = loadQueue().filter(function (item) { return !item.error; });
        if (queue.length === 0) return Promise.resolve(true);
        var first = queue[0];
        var sent;
        if (first.type === 'sample') {
          var batch = [];
          for (var i = 0; i < queue.length && queue[i].type === 'sample' && batch.length < BATCH; i++) batch.push(queue[i]);
          sent = sendSamples(batch);
        } else sent = sendOne(first);
        return sent.then(function (ok) { return ok ? step() : false; });
      }
      step().then(function (ok) {
        flushing = false;
        setOnline(ok);
        saveState();
        renderTube();
        if (!ok) scheduleRetry();
        else {
          backoff = 0;
          if (again) { again = false; flush(); } else refreshSoon();
        }
      });
    }

    // The site's counts (and tubes other devices opened here) follow a moment after the queue has drained.
    var refreshTimer = null;
    function refreshSoon() {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(loadSession, 1000);
    }

    function scheduleRetry() {
      clearTimeout(retryTimer);
      backoff = Math.min(backoff ? backoff * 2 : 2000, 30000);
      retryTimer = setTimeout(flush, backoff);
    }

    // ---- scanning ----
    function scan(raw) {
      var text = (raw || '').trim();
      input.value = '';
      if (!text) return;
      if (!state.current) { openTube(text); return; }
      var tb = state.tubes[state.current];
      if (countOf(tb) >= tb.capacity) { showMessage(t('Tube.Full', tb.capacity), 'error'); return; }
      var id = newId();
      tb.members.push({ sampleId: id, input: mask(text), pending: true, warnings: [] });
      var barcode = state.current;
      if (countOf(tb) >= tb.capacity) {
        // The server seals a tube at k by itself; the page moves on to the next tube at once.
        tb.state = 'Sealed';
        state.current = null;
        showMessage(t('Tube.Sealed', barcode, countOf(tb)), 'ok');
      } else showMessage(navigator.onLine ? '' : t('Scan.Queued'), 'info');
      saveState();
      renderTube();
      enqueue({ id: id, type: 'sample', label: mask(text), body: { id: id, tubeBarcode: barcode, input: text, at: new Date().toISOString(), offline: !navigator.onLine } });
    }

    // What the operator typed stays on the device only as a hint (last four characters) until the server names the person.
    function mask(text) { return text.length > 4 ? '…' + text.slice(-4) : text; }

    function openTube(barcode) {
      if (ID_NUMBER.test(barcode) || CODE.test(barcode)) { showMessage(t('Tube.NotPerson'), 'error'); return; }
      var single = $('single-tube') && $('single-tube').checked;
      var tb = tube(barcode);
      if (tb.state !== 'Open') { tb.state = 'Open'; tb.members = []; }
      if (single) tb.capacity = 1;
      state.current = barcode;
      saveState();
      renderTube();
      showMessage(t('Tube.Opened', barcode), 'ok');
      enqueue({ id: newId(), type: 'tube', label: barcode, body: { roundId: roundId, siteId: siteId, barcode: barcode, single: !!single } });
    }

    function seal() {
      var barcode = state.current;
      var tb = barcode && state.tubes[barcode];
      if (!tb) return;
      var count = countOf(tb);
      if (count === 0) { showMessage(t('Tube.SealEmpty'), 'error'); return; }
      if (!window.confirm(t('Tube.SealConfirm', barcode, count))) return;
      tb.state = 'Sealed';
      state.current = null;
      saveState();
      renderTube();
      showMessage(t('Tube.Sealed', barcode, count), 'ok');
      enqueue({ id: newId(), type: 'seal', label: barcode, barcode: barcode });
    }

    // Remove and move change what the server holds: they need the connection, and answer with the tubes as they now are.
    function removeSample(sampleId) {
      var tb = state.tubes[state.current];
      var m = tb && tb.members.filter(function (x) { return x.sampleId === sampleId; })[0];
      if (!m || !window.confirm(t('Members.RemoveConfirm', m.name))) return;
      send('POST', api + '/samples/' + sampleId + '/remove', {}).then(function (answer) {
        if (unreachable(answer)) { showMessage(t('Members.NeedOnline'), 'error'); return; }
        if (answer.status !== 200) { showMessage(problemText(answer.data, t('Scan.Error')), 'error'); return; }
        mergeTube(answer.data);
        saveState();
        renderTube();
      });
    }

    function moveSample(sampleId) {
      var target = (window.prompt(t('Members.MoveTo')) || '').trim();
      if (!target) return;
      send('POST', api + '/samples/' + sampleId + '/move', { toTubeBarcode: target }).then(function (answer) {
        if (unreachable(answer)) { showMessage(t('Members.NeedOnline'), 'error'); return; }
        if (answer.status !== 200) { showMessage(problemText(answer.data, t('Scan.Error')), 'error'); return; }
        mergeTube(answer.data.from);
        mergeTube(answer.data.to);
        saveState();
        renderTube();
        showMessage(t('Members.MoveOk', target), 'ok');
      });
    }

    // ---- transfer boxes (online: a box is handed from hand to hand) ----
    function startBox(number) {
      send('POST', api + '/boxes', { roundId: roundId, siteId: siteId, number: number }).then(function (answer) {
        if (answer.status === 200 || answer.status === 201) { renderBox(answer.data); $('box-tube').focus(); loadSession(); }
        else showMessage(unreachable(answer) ? t('Members.NeedOnline') : problemText(answer.data, t('Scan.Error')), 'error');
      });
    }

    function boxTube(barcode) {
      if (!state.box) return;
      send('POST', api + '/boxes/' + encodeURIComponent(state.box.number) + '/tubes', { barcodes: [barcode] }).then(function (answer) {
        if (answer.status === 200) { renderBox(answer.data); showMessage(t('Box.Added', barcode), 'ok'); }
        else showMessage(unreachable(answer) ? t('Members.NeedOnline') : problemText(answer.data, t('Scan.Error')), 'error');
      });
    }

    function handOver(lab) {
      if (!state.box) return;
      send('POST', api + '/boxes/' + encodeURIComponent(state.box.number) + '/hand-over', { lab: lab }).then(function (answer) {
        if (answer.status === 200) {
          showMessage(t('Box.HandedOver', answer.data.number, answer.data.lab, answer.data.tubeCount), 'ok');
          renderBox(answer.data);
          loadSession();
        } else showMessage(unreachable(answer) ? t('Members.NeedOnline') : problemText(answer.data, t('Scan.Error')), 'error');
      });
    }

    function renderBoxes(boxes) {
      var list = $('boxes');
      list.innerHTML = '';
      boxes.forEach(function (box) {
        var li = document.createElement('li');
        li.textContent = box.number + ' · ' + t('Box.State.' + box.state) + ' · ' + box.tubeCount + (box.lab ? ' · ' + box.lab : '');
        list.appendChild(li);
      });
    }

    // ---- resume from the server ----
    function loadSession() {
      return send('GET', api + '/sites/' + siteId + '/rounds/' + roundId).then(function (answer) {
        if (answer.status !== 200) return;
        var s = answer.data;
        var serverOpen = s.openTubes.map(function (v) { return v.barcode; });
        s.openTubes.forEach(mergeTube);
        // Tubes this device thought open but the server has sealed (another device, or at k): forget them unless still queued.
        Object.keys(state.tubes).forEach(function (b) {
          var tb = state.tubes[b];
          var queued = tb.members.some(function (m) { return m.pending; }) || loadQueue().some(function (q) { return q.type === 'tube' && q.body.barcode === b; });
          if (serverOpen.indexOf(b) < 0 && !queued) delete state.tubes[b];
        });
        if (state.current && !state.tubes[state.current]) state.current = null;
        $('site-stats').textContent = t('Page.Stats', s.samples, s.sealedTubes);
        var packing = s.boxes.filter(function (b) { return b.state === 'Packing' && state.box && b.number === state.box.number; })[0];
        renderBox(packing || null);
        renderBoxes(s.boxes);
        saveState();
        renderTube();
      });
    }

    // ---- camera (tube barcodes are often 1D: the formats BarcodeDetector reads; jsQR reads QR codes) ----
    var camera = window.ShouwangScan.camera($('camera'), $('camera-video'), app.dataset.jsqr, ['qr_code', 'code_128', 'ean_13', 'code_39']);

    function openCamera() {
      camera.open(function (value) { scan(value); input.focus(); },
        function () { showMessage(t('Scan.CameraUnavailable'), 'error'); input.focus(); });
    }

    // ---- wiring ----
    $('scan-form').addEventListener('submit', function (event) { event.preventDefault(); scan(input.value); input.focus(); });
    $('seal-tube').addEventListener('click', function () { seal(); input.focus(); });
    $('leave-tube').addEventListener('click', function () { state.current = null; saveState(); renderTube(); input.focus(); });
    $('members').addEventListener('click', function (event) {
      var d = event.target.dataset || {};
      if (d.remove) removeSample(d.remove);
      else if (d.move) moveSample(d.move);
    });
    $('open-tubes').addEventListener('click', function (event) {
      var b = event.target.dataset && event.target.dataset.resume;
      if (b) { state.current = b; saveState(); renderTube(); input.focus(); }
    });
    $('sync-error-list').addEventListener('click', function (event) {
      var id = event.target.dataset && event.target.dataset.discard;
      if (!id) return;
      dropFromQueue([id]);
      Object.keys(state.tubes).forEach(function (b) {
        state.tubes[b].members = state.tubes[b].members.filter(function (m) { return m.sampleId !== id; });
      });
      saveState();
      renderTube();
    });
    $('sync-now').addEventListener('click', function () { backoff = 0; flush(); });
    $('camera-open').addEventListener('click', openCamera);
    $('camera-close').addEventListener('click', function () { camera.close(); input.focus(); });
    $('box-form').addEventListener('submit', function (event) { event.preventDefault(); var n = $('box-number').value.trim(); if (n) startBox(n); });
    $('box-tube-form').addEventListener('submit', function (event) { event.preventDefault(); var b = $('box-tube').value.trim(); $('box-tube').value = ''; if (b) boxTube(b); });
    $('box-handover-form').addEventListener('submit', function (event) { event.preventDefault(); var lab = $('box-lab').value.trim(); if (lab) handOver(lab); });
    window.addEventListener('online', function () { setOnline(true); backoff = 0; flush(); });
    window.addEventListener('offline', function () { setOnline(false); });

    setOnline(navigator.onLine);
    renderQueue(loadQueue());
    renderTube();
    loadSession().then(function () { if (loadQueue().length) flush(); });
    input.focus();
  }

  function boot() {
    var app = $('sampling-app');
    if (app && !app.dataset.booted) { app.dataset.booted = 'true'; init(app); }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
