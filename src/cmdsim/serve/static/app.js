// cmdsim serve: refresh the page's live parts when the server says something
// changed (server-sent events), and send the forms as JSON.  No framework.
(function () {
  "use strict";
  var token = document.body.dataset.token;
  var api = "/api/" + token;
  var shown = {};
  var message = document.getElementById("message");

  function say(text, bad) {
    message.textContent = text || "";
    message.className = bad ? "bad" : "good";
  }

  function replace(part, html) {
    var slot = document.querySelector('[data-part="' + part + '"]');
    if (!slot || shown[part] === html) return;
    // never wipe what someone is typing in the improvement plan
    if (part === "improvements" && slot.contains(document.activeElement) &&
        document.activeElement.tagName === "INPUT") return;
    slot.innerHTML = html;
    shown[part] = html;
  }

  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(api + "/parts", {cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          Object.keys(data.parts).forEach(function (p) { replace(p, data.parts[p]); });
          document.body.dataset.version = data.version;
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  function payload(form, submitter) {
    var data = {};
    form.querySelectorAll('input[type="checkbox"][name]').forEach(function (box) {
      data[box.name] = [];
    });
    new FormData(form).forEach(function (value, name) {
      if (Array.isArray(data[name])) data[name].push(value); else data[name] = value;
    });
    if (submitter && submitter.name) data[submitter.name] = submitter.value;
    return data;
  }

  var nameBox = document.getElementById("player-name");
  if (nameBox) {
    nameBox.value = localStorage.getItem("cmdsim-player") || "";
    nameBox.addEventListener("change", function () {
      localStorage.setItem("cmdsim-player", nameBox.value);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset.action) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    var data = payload(form, event.submitter);
    if (form.dataset.action === "decide" && nameBox) data.player = nameBox.value;
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(api + "/" + form.dataset.action, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(data)
    })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (result) {
        say(result[0] ? result[1].ok : result[1].error, !result[0]);
        if (result[0] && form.dataset.reset) form.reset();
      })
      .catch(function () { say("the server did not answer", true); })
      .then(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        refresh();
      });
  });

  var filter = document.getElementById("key-only");
  if (filter) {
    filter.addEventListener("change", function () {
      document.body.classList.toggle("key-only", filter.checked);
    });
  }

  if (window.EventSource) {
    var source = new EventSource(api + "/stream");
    source.onmessage = refresh;
  } else {
    setInterval(refresh, 2000);
  }
})();
