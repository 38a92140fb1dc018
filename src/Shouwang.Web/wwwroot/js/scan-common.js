// What the two scan pages (checkpoint-scan.js, sampling.js) share: JSON over fetch with a timeout, and reading a code
// from the back camera. Plain script, no build step; loaded before the page's own script.
window.ShouwangScan = (function () {
  'use strict';
  var TIMEOUT_MS = 8000;

  // POST/GET JSON with a timeout; status 0 means the server could not be reached.
  function send(method, url, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    return fetch(url, {
      method: method, credentials: 'same-origin', signal: controller.signal,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: response.status, data: data };
      });
    }).catch(function () { return { status: 0, data: null }; })
      .finally(function () { clearTimeout(timer); });
  }

  function unreachable(result) { return result.status === 0 || result.status >= 500; }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // BarcodeDetector where the browser has it; else jsQR (QR codes only), fetched only when first needed.
  function decoder(jsqrSrc, formats) {
    if ('BarcodeDetector' in window) {
      try {
        var detector = new window.BarcodeDetector({ formats: formats });
        return Promise.resolve(function (video) {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        });
      } catch (e) { /* unsupported format: fall back */ }
    }
    return loadScript(jsqrSrc).then(function () {
      var canvas = document.createElement('canvas');
      var context = canvas.getContext('2d', { willReadFrequently: true });
      return function (video) {
        var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        return code ? code.data : null;
      };
    });
  }

  // The camera panel: opens the back camera into `video`, shows `panel`, and calls found(text) once for the first code
  // read, or failed() when there is no camera. close() stops it and hides the panel.
  function camera(panel, video, jsqrSrc, formats) {
    var stream = null;
    function close() {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      panel.hidden = true;
    }
    function open(found, failed) {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { failed(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        panel.hidden = false;
        return video.play().then(function () { return decoder(jsqrSrc, formats); }).then(function (detect) {
          function tick() {
            if (!stream) return;
            Promise.resolve(video.readyState >= 2 ? detect(video) : null).then(function (value) {
              if (value) { close(); found(value); return; }
              setTimeout(tick, 150);
            }, function () { setTimeout(tick, 300); });
          }
          tick();
        });
      }).catch(function () { close(); failed(); });
    }
    return { open: open, close: close };
  }

  return { send: send, unreachable: unreachable, camera: camera };
})();
