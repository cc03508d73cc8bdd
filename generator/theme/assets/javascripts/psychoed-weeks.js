/* Psychoed: which week is this week, worked out from this device's clock.
 *
 * Weeks of a track with fixed dates carry data-psy-week-start / data-psy-week-end (YYYY-MM-DD).
 * The week that holds today is marked "This week"; on the home page a copy of it is shown first.
 * Nothing is sent anywhere and nothing is stored: the answer is worked out again on every page.
 */
(function () {
  "use strict";

  function isoDay(date) {
    var month = String(date.getMonth() + 1).padStart(2, "0");
    var day = String(date.getDate()).padStart(2, "0");
    return date.getFullYear() + "-" + month + "-" + day;
  }

  function markThisWeek(week) {
    week.classList.add("psy-week--now");
    var badge = document.createElement("strong");
    badge.className = "psy-week__now";
    badge.textContent = week.getAttribute("data-psy-now-label") || "";
    var title = week.querySelector("h2, .psy-week__title");
    if (title) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(badge);
    }
  }

  function showFirst(week) {
    var box = document.querySelector("[data-psy-this-week]");
    var body = box && box.querySelector("[data-psy-this-week-body]");
    if (!body) return;
    var copy = week.cloneNode(true);
    copy.classList.remove("psy-week--now");
    copy.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    copy.querySelectorAll(".psy-week__now").forEach(function (badge) { badge.remove(); });
    body.appendChild(copy);
    box.hidden = false;
  }

  function update() {
    var today = isoDay(new Date());
    var weeks = document.querySelectorAll("[data-psy-week-start]");
    for (var i = 0; i < weeks.length; i++) {
      var week = weeks[i];
      if (week.dataset.psyWeekStart <= today && today <= week.dataset.psyWeekEnd) {
        markThisWeek(week);
        showFirst(week);
        break;
      }
    }
    document.querySelectorAll("[data-psy-before]").forEach(function (notice) {
      notice.hidden = !(today < notice.dataset.psyBefore);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
