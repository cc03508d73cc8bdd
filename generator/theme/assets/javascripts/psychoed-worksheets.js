/* Psychoed worksheets: the answers a reader types stay in the page.
 *
 * Nothing is ever sent anywhere: this script makes no network request. Answers are written
 * to this browser's storage only while the reader has ticked "Keep my answers on this
 * device", under one key per track and worksheet; unticking it or "Clear my answers"
 * deletes that copy. "Print" prints the worksheet alone (see @media print in psychoed.css).
 */
(function () {
  "use strict";

  var KEY_PREFIX = "psychoed:answers:";
  var FORMAT = 1;

  function storage() {
    try {
      var store = window.localStorage;
      store.getItem(KEY_PREFIX); // throws where storage is blocked
      return store;
    } catch (error) {
      return null;
    }
  }

  function controlsOf(sheet) {
    return Array.prototype.slice.call(sheet.querySelectorAll("input, textarea, select"));
  }

  function isChoice(control) {
    return control.type === "checkbox" || control.type === "radio";
  }

  function readAnswers(sheet) {
    var answers = {};
    controlsOf(sheet).forEach(function (control) {
      if (isChoice(control)) {
        if (control.checked) answers[control.id] = true;
      } else if (control.value !== "") {
        answers[control.id] = control.value;
      }
    });
    return answers;
  }

  function writeAnswers(sheet, answers) {
    controlsOf(sheet).forEach(function (control) {
      var value = Object.prototype.hasOwnProperty.call(answers, control.id) ? answers[control.id] : null;
      if (isChoice(control)) {
        control.checked = value === true;
      } else {
        control.value = typeof value === "string" ? value : "";
      }
    });
    sheet.querySelectorAll("textarea").forEach(fitToText);
  }

  /* A textarea grows with what is written in it, so every word shows on screen and on paper. */
  function fitToText(textarea) {
    textarea.style.height = "";
    if (textarea.scrollHeight > textarea.clientHeight) {
      textarea.style.height = textarea.scrollHeight + 2 + "px";
    }
  }

  function loadSaved(store, key) {
    if (!store) return null;
    try {
      var saved = JSON.parse(store.getItem(key) || "null");
      return saved && saved.format === FORMAT && typeof saved.answers === "object" ? saved.answers : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(controls) {
    var name = controls.getAttribute("data-psy-controls");
    var sheet = document.querySelector('[data-psy-worksheet="' + name + '"]');
    if (!sheet) return;
    var key = KEY_PREFIX + name;
    var store = storage();
    var keep = controls.querySelector('input[type="checkbox"]');
    var status = controls.querySelector("[role=status]");

    // The words come from the page (data-psy-say-*), written from the language's catalogue.
    function say(name) {
      if (status) status.textContent = controls.getAttribute("data-psy-say-" + name) || "";
    }

    function save() {
      if (!store || !keep.checked) return;
      try {
        store.setItem(key, JSON.stringify({ format: FORMAT, answers: readAnswers(sheet) }));
      } catch (error) {
        say("not-saved");
      }
    }

    if (!store) {
      keep.disabled = true;
      keep.parentNode.appendChild(document.createTextNode(" " + (controls.getAttribute("data-psy-say-no-storage") || "")));
    }
    var saved = loadSaved(store, key);
    if (saved) {
      keep.checked = true;
      writeAnswers(sheet, saved);
      say("restored");
    }

    sheet.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") fitToText(event.target);
      save();
    });
    sheet.addEventListener("change", save);

    keep.addEventListener("change", function () {
      if (keep.checked) {
        save();
        say("kept");
      } else {
        if (store) store.removeItem(key);
        say("not-kept");
      }
    });

    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-psy-action]");
      if (!button) return;
      if (button.getAttribute("data-psy-action") === "clear") {
        writeAnswers(sheet, {});
        if (store) store.removeItem(key);
        keep.checked = false;
        say("cleared");
      } else if (button.getAttribute("data-psy-action") === "print") {
        window.print();
      }
    });

    // On paper an empty date prints as a blank line, not as the browser's "mm/dd/yyyy".
    window.addEventListener("beforeprint", function () {
      sheet.querySelectorAll("textarea").forEach(fitToText);
      controlsOf(sheet).forEach(function (control) {
        if (!isChoice(control) && control.value === "") control.setAttribute("data-psy-empty", "");
      });
    });
    window.addEventListener("afterprint", function () {
      controlsOf(sheet).forEach(function (control) {
        control.removeAttribute("data-psy-empty");
      });
    });

    controls.hidden = false;
  }

  function start() {
    document.querySelectorAll("[data-psy-controls]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
