/* Psychoed: Web Workers for pages opened from file://, for the offline copy of a track.
 *
 * mkdocs-material runs its search in a Web Worker, and browsers refuse `new Worker(url)` on a
 * page opened from file://. Here the worker's script runs in a hidden frame of the page's own
 * origin instead, and messages pass between the page and the frame as events. Material's
 * offline plugin would load such a shim from a CDN; this one ships with the site, so the
 * offline copy loads nothing from another host. Over http(s) this file does nothing.
 */
(function () {
  "use strict";

  if (location.protocol !== "file:") return;

  function loadScript(frameDocument, url) {
    return new Promise(function (resolve, reject) {
      var script = frameDocument.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("could not load " + url)); };
      frameDocument.body.appendChild(script);
    });
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._queue = [];
      this._frame = document.createElement("iframe");
      this._frame.hidden = true;
      this._frame.title = "Search";
      this._frame.setAttribute("aria-hidden", "true");
      this._frame.tabIndex = -1;
      document.body.appendChild(this._frame);

      var worker = this;
      var scope = this._frame.contentWindow;
      // What the worker's script sees as its own postMessage and importScripts.
      scope.postMessage = function (data) {
        setTimeout(function () { worker._emit("message", data); });
      };
      scope.importScripts = function () {
        var urls = Array.prototype.slice.call(arguments);
        return urls.reduce(function (ready, url) {
          return ready.then(function () { return loadScript(scope.document, url); });
        }, Promise.resolve());
      };
      // The first script of the frame is the worker: Material finds its other scripts from there.
      loadScript(scope.document, new URL(url, document.baseURI).href).then(function () {
        var queued = worker._queue;
        worker._queue = null;
        queued.forEach(function (data) { worker.postMessage(data); });
      }, function (error) {
        worker._emit("error", error.message);
      });
    }

    postMessage(data) {
      if (this._queue) {
        this._queue.push(data);
        return;
      }
      var scope = this._frame.contentWindow;
      setTimeout(function () { scope.dispatchEvent(new scope.MessageEvent("message", { data: data })); });
    }

    terminate() {
      this._frame.remove();
    }

    _emit(type, data) {
      var event = type === "error" ? new ErrorEvent("error", { message: data }) : new MessageEvent(type, { data: data });
      var handler = this["on" + type];
      if (typeof handler === "function") handler.call(this, event);
      this.dispatchEvent(event);
    }
  }

  // Material's search worker looks for this name in its parent to know it runs in a frame.
  window.IFrameWorker = FrameWorker;
  window.Worker = FrameWorker;
})();
