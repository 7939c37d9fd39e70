// The live Future Workshop board: one script for the participant's phone, the facilitator's board
// and the projector. The page brings the board's state and the number of the last event it
// reflects (json_script); the WebSocket brings every later event. After a lost connection the
// script reconnects and says hello with the number up to which it has heard every event of its
// own (chains.js: events can arrive out of number order); the server sends what was missed.
// Cards not yet acknowledged wait in localStorage and are sent again with the same client_id, so
// a card is never lost and never stored twice. A card the server asks to wait (too_fast) is sent
// again after the wait; one it refuses for good leaves the outbox.
(function () {
  "use strict";

  var root = document.getElementById("board");
  if (!root) return;
  var state = JSON.parse(document.getElementById("board-state").textContent);
  var T = JSON.parse(document.getElementById("board-strings").textContent);
  var role = root.dataset.role;
  var isFacilitator = role === "facilitator";
  var isParticipant = role === "participant";
  var base = root.dataset.base || "";
  var outboxKey = "conet-workshop-outbox-" + root.dataset.workshop;
  // Refusals that pass: the phone keeps what it wrote and sends it again after the wait the
  // server names. Every other refusal stands, so the card leaves the outbox (never resent for ever).
  var PASSING = { too_fast: true, unavailable: true };
  var resendTimer = null;
  var socket = null;
  var retry = 0;
  var closedForGood = false;
  var renderQueued = false;
  var tableFilter = "all";
  var loadedSeq = state.seq;
  var seen = {};
  var heard = new window.ConetChains(loadedSeq);

  var cards = {}, clusters = {}, proposals = {}, phases = {}, present = {};
  (state.participants || []).forEach(function (id) { present[id] = true; });
  state.cards.forEach(function (c) { cards[c.id] = c; });
  state.clusters.forEach(function (c) { clusters[c.id] = c; });
  state.proposals.forEach(function (p) { proposals[p.id] = p; });
  state.phases.forEach(function (p) { phases[p.id] = p; });
  var myDots = (state.me && state.me.dots) || {};
  var myHelping = {};
  ((state.me && state.me.helping) || []).forEach(function (id) { myHelping[id] = true; });

  function outbox() {
    try { return JSON.parse(localStorage.getItem(outboxKey) || "[]"); } catch (e) { return []; }
  }
  function saveOutbox(items) {
    try { localStorage.setItem(outboxKey, JSON.stringify(items)); } catch (e) { /* private mode */ }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "class") node.className = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // A finished workshop is a record: nobody edits its board, and it has no live connection.
  function isFinished() { return state.workshop.status === "finished"; }
  function mayEdit() { return isFacilitator && !isFinished(); }

  function currentPhase() {
    var list = state.phases.map(function (p) { return phases[p.id]; });
    var open = list.filter(function (p) { return p.state === "open"; })[0];
    if (open) return open;
    var closed = list.filter(function (p) { return p.state === "closed"; });
    return closed.length ? closed[closed.length - 1] : null;
  }

  function allows(phase, action) {
    if (!phase || phase.state !== "open" || state.workshop.locked) return false;
    var steps = (state.features[phase.kind] || {})[action] || [];
    return steps.indexOf(phase.step) !== -1;
  }

  function notice(text) {
    var node = document.getElementById("notice");
    node.textContent = text || "";
    node.hidden = !text;
  }

  function setConnection(text, ok) {
    var node = document.getElementById("connection");
    if (!node) return;
    node.textContent = text;
    node.classList.toggle("connection-ok", !!ok);
  }

  // The socket ---------------------------------------------------------------------------------

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    setConnection(T.connecting, false);
    var language = encodeURIComponent(document.documentElement.lang || "");
    socket = new WebSocket(scheme + location.host + root.dataset.socket + "?language=" + language);
    socket.addEventListener("open", function () {
      socket.send(JSON.stringify({ type: "hello", since: heard.since() }));
    });
    socket.addEventListener("message", function (message) { receive(JSON.parse(message.data)); });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4403 || closedForGood) {
        closedForGood = true;
        setConnection(T.removed, false);
        return;
      }
      setConnection(T.offline, false);
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, 300 * retry * retry);
    });
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function flushOutbox() {
    outbox().forEach(function (item) { send(item); });
  }

  // One resend for all the cards the server asked to wait: after its wait, plus a little at random
  // so that a room of phones does not come back in the same instant.
  function resendLater(seconds) {
    if (resendTimer) return;
    var wait = Math.max(1, Number(seconds) || 5) * 1000 + Math.random() * 1000;
    resendTimer = window.setTimeout(function () {
      resendTimer = null;
      if (outbox().length) { notice(""); flushOutbox(); }
    }, wait);
  }

  function receive(message) {
    if (message.type === "event") {
      // Numbers may arrive out of order (several writers); each is applied once.
      if (seen[message.seq] || message.seq <= loadedSeq) return;
      seen[message.seq] = true;
      heard.heard(message);
      apply(message.kind, message.data);
      queueRender();
    } else if (message.type === "synced") {
      retry = 0;
      heard.through(message.seq);
      setConnection(T.live, true);
      flushOutbox();
    } else if (message.type === "ack") {
      if (message.client_id) {
        saveOutbox(outbox().filter(function (item) { return item.client_id !== message.client_id; }));
      }
      if (message.dots_left !== undefined) {
        state.dotsLeft = message.dots_left;
      }
      if (message.helping !== undefined) myHelping[message.proposal] = message.helping;
      queueRender();
    } else if (message.type === "error") {
      var kept = message.client_id && PASSING[message.code];
      if (kept) {
        resendLater(message.retry_after);
      } else if (message.client_id) {
        var refused = outbox().filter(function (item) { return item.client_id === message.client_id; })[0];
        saveOutbox(outbox().filter(function (item) { return item.client_id !== message.client_id; }));
        // What the resident wrote goes back into the box, to correct or shorten, unless they are
        // already writing the next card.
        if (refused && cardText && !cardText.value) {
          cardText.value = String(refused.text || "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, "");
          cardCount.textContent = cardText.value.length + " / " + state.workshop.card_max_length;
        }
      }
      if (message.ref && message.ref.indexOf("dot:") === 0) rollbackDot(message.ref);
      notice(kept ? message.message + " " + T.kept : T.error + " " + message.message);
      queueRender();
    } else if (message.type === "removed") {
      closedForGood = true;
      notice(T.removed);
    } else if (message.type === "reload") {
      location.reload();
    }
  }

  function apply(kind, data) {
    if (kind === "card") {
      cards[data.id] = data;
    } else if (kind === "card.deleted") {
      delete cards[data.id];
    } else if (kind === "card.moved") {
      cards[data.card.id] = data.card;
      data.order.forEach(function (id, index) {
        if (cards[id]) { cards[id].order = index; cards[id].cluster = data.cluster; }
      });
    } else if (kind === "cluster") {
      clusters[data.id] = data;
    } else if (kind === "cluster.deleted") {
      delete clusters[data.id];
      Object.keys(cards).forEach(function (id) { if (cards[id].cluster === data.id) cards[id].cluster = null; });
    } else if (kind === "dots") {
      if (clusters[data.cluster]) clusters[data.cluster].dots = data.dots;
    } else if (kind === "phase") {
      if (!phases[data.id]) state.phases.push(data);
      phases[data.id] = data;
    } else if (kind === "workshop") {
      // The workshop has just ended: show the page as it is for a finished workshop.
      if (data.status === "finished" && !isFinished()) window.setTimeout(function () { location.reload(); }, 0);
      state.workshop = data;
    } else if (kind === "proposal") {
      proposals[data.id] = data;
    } else if (kind === "proposal.promoted") {
      if (proposals[data.id]) proposals[data.id].promoted = { action: data.action, plan: data.plan };
    } else if (kind === "participant.joined") {
      present[data.id] = true;
    } else if (kind === "participant.removed") {
      delete present[data.id];
    } else if (kind === "table") {
      state.tables.push(data);
    }
  }

  // Writing ------------------------------------------------------------------------------------

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  var cardForm = document.getElementById("card-form");
  var cardText = document.getElementById("card-text");
  var cardCount = document.getElementById("card-count");
  if (cardText) {
    cardText.addEventListener("input", function () {
      cardCount.textContent = cardText.value.length + " / " + state.workshop.card_max_length;
    });
  }
  if (cardForm) {
    cardForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = cardText.value.trim();
      if (!text) return;
      var respondsTo = document.getElementById("responds-to").value;
      if (isParticipant) {
        var item = { type: "card", client_id: uuid(), text: text, responds_to: respondsTo || null };
        item.ref = item.client_id;
        saveOutbox(outbox().concat([item]));
        send(item);
      } else {
        post("cards/", { text: text, client_id: uuid() });
      }
      cardText.value = "";
      cardCount.textContent = "";
      queueRender();
      cardText.focus();
    });
  }

  function dot(clusterId, add) {
    var key = String(clusterId);
    myDots[key] = (myDots[key] || 0) + (add ? 1 : -1);
    if (myDots[key] <= 0) delete myDots[key];
    send({ type: "dot", cluster: clusterId, add: add, ref: "dot:" + (add ? "+" : "-") + clusterId });
    queueRender();
  }

  function rollbackDot(ref) {
    var add = ref.charAt(4) === "+";
    var key = ref.slice(5);
    myDots[key] = (myDots[key] || 0) + (add ? -1 : 1);
    if (myDots[key] <= 0) delete myDots[key];
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(path, fields) {
    var body = new FormData();
    Object.keys(fields || {}).forEach(function (key) {
      if (fields[key] !== null && fields[key] !== undefined) body.append(key, fields[key]);
    });
    return fetch(base + path, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var text = data.message || Object.keys(data.fields || {}).map(function (k) { return data.fields[k].join(" "); }).join(" ");
          notice(T.error + " " + (text || response.status));
        } else {
          notice("");
        }
        return data;
      });
    });
  }

  // Rendering ----------------------------------------------------------------------------------

  function queueRender() {
    if (renderQueued) return;
    renderQueued = true;
    window.requestAnimationFrame(function () { renderQueued = false; render(); });
  }

  function visibleTable(item) {
    if (!isFacilitator || tableFilter === "all") return true;
    return String(item.table || "") === tableFilter;
  }

  function sortByOrder(a, b) { return (a.order - b.order) || (a.id - b.id); }

  function cardNode(card, phaseClusters) {
    var classes = "board-card" + (card.hidden ? " is-hidden" : "") + (card.pending ? " is-pending" : "");
    var node = el("article", { class: classes, "data-card": card.id, draggable: mayEdit() && !card.pending ? "true" : null, tabindex: "0" });
    node.appendChild(el("p", { class: "card-text", text: card.text }));
    var meta = [];
    if (card.author) meta.push(card.author);
    if (card.pending) meta.push(T.sending);
    if (card.hidden) meta.push(T.hidden);
    if (card.responds_to && clusters[card.responds_to]) meta.push(T.answers + " " + (clusters[card.responds_to].title || T.untitled));
    if (meta.length) node.appendChild(el("small", { class: "meta", text: meta.join(" · ") }));
    if (mayEdit() && !card.pending) {
      var select = el("select", { "aria-label": T.move_to, class: "move-to" });
      select.appendChild(el("option", { value: "", text: T.unsorted }));
      phaseClusters.filter(function (c) { return (c.table || null) === (card.table || null); }).forEach(function (c) {
        select.appendChild(el("option", { value: c.id, text: c.title || T.untitled, selected: c.id === card.cluster ? true : null }));
      });
      select.addEventListener("change", function () { post("cards/" + card.id + "/move/", { cluster: select.value }); });
      var hide = el("button", { type: "button", class: "secondary outline small", text: card.hidden ? T.show : T.hide });
      hide.addEventListener("click", function () {
        if (card.hidden) { post("cards/" + card.id + "/hide/", { hidden: "0" }); return; }
        var reason = window.prompt(T.hide_reason, "");
        if (reason !== null) post("cards/" + card.id + "/hide/", { hidden: "1", reason: reason });
      });
      node.appendChild(el("div", { class: "card-tools" }, [select, hide]));
      node.addEventListener("dragstart", function (event) {
        event.dataTransfer.setData("text/plain", String(card.id));
        event.dataTransfer.effectAllowed = "move";
        node.classList.add("is-dragging");
      });
      node.addEventListener("dragend", function () { node.classList.remove("is-dragging"); });
    }
    return node;
  }

  function dropZone(node, clusterId) {
    if (!mayEdit()) return;
    node.addEventListener("dragover", function (event) { event.preventDefault(); node.classList.add("is-over"); });
    node.addEventListener("dragleave", function () { node.classList.remove("is-over"); });
    node.addEventListener("drop", function (event) {
      event.preventDefault();
      node.classList.remove("is-over");
      var cardId = event.dataTransfer.getData("text/plain");
      if (!cardId) return;
      var siblings = Array.prototype.slice.call(node.querySelectorAll("[data-card]"));
      var position = siblings.filter(function (s) {
        var box = s.getBoundingClientRect();
        return s.dataset.card !== cardId && box.top + box.height / 2 < event.clientY;
      }).length;
      post("cards/" + cardId + "/move/", { cluster: clusterId || "", position: position });
    });
  }

  function clusterNode(cluster, clusterCards, phase, phaseClusters) {
    var node = el("section", { class: "board-cluster" + (cluster.chosen ? " is-chosen" : "") + (cluster.suggested ? " is-suggested" : ""), "data-cluster": cluster.id });
    var header = el("header", { class: "cluster-header" });
    if (mayEdit() && phase.state === "open") {
      var input = el("input", { value: cluster.title, "aria-label": T.rename, maxlength: "200", class: "cluster-title-input" });
      input.addEventListener("change", function () {
        post("clusters/" + cluster.id + "/", { title: input.value, version: cluster.version });
      });
      header.appendChild(input);
    } else {
      header.appendChild(el("h3", { class: "cluster-title", text: cluster.title || T.untitled }));
    }
    var dotsText = cluster.dots + " " + T.dots + (cluster.chosen ? " · " + T.chosen : "");
    header.appendChild(el("span", { class: "dot-count", "data-dots": cluster.dots, text: dotsText }));
    node.appendChild(header);
    if (isParticipant && allows(phase, "dot")) {
      var mine = myDots[String(cluster.id)] || 0;
      var canStack = state.workshop.dots_stacking_allowed || mine === 0;
      node.appendChild(el("div", { class: "dot-tools" }, [
        el("button", { type: "button", class: "dot-add", disabled: !canStack || dotsLeft(phase) <= 0 ? true : null, text: "● " + T.add_dot, onclick: function () { dot(cluster.id, true); } }),
        mine ? el("button", { type: "button", class: "secondary outline dot-remove", text: T.remove_dot + " (" + mine + ")", onclick: function () { dot(cluster.id, false); } }) : null,
      ]));
    }
    if (mayEdit() && phase.state === "open") {
      node.appendChild(el("div", { class: "cluster-tools" }, [
        el("button", { type: "button", class: "secondary outline small", text: cluster.chosen ? T.unchoose : T.choose, onclick: function () { post("clusters/" + cluster.id + "/", { chosen: cluster.chosen ? "0" : "1", version: cluster.version }); } }),
        el("button", { type: "button", class: "secondary outline small", text: T.delete, onclick: function () { post("clusters/" + cluster.id + "/delete/", {}); } }),
      ]));
    }
    var list = el("div", { class: "cluster-cards" });
    clusterCards.forEach(function (card) { list.appendChild(cardNode(card, phaseClusters)); });
    if (!clusterCards.length && mayEdit()) list.appendChild(el("p", { class: "empty", text: T.drop_here }));
    node.appendChild(list);
    dropZone(node, cluster.id);
    return node;
  }

  function dotsLeft(phase) {
    var used = 0;
    Object.keys(myDots).forEach(function (id) {
      if (clusters[id] && clusters[id].phase === phase.id) used += myDots[id];
    });
    return phase.dots_per_person - used;
  }

  function renderBoard(phase) {
    var container = document.getElementById("clusters");
    container.textContent = "";
    if (!phase || phase.kind === "implementation") return;
    var phaseClusters = Object.keys(clusters).map(function (id) { return clusters[id]; })
      .filter(function (c) { return c.phase === phase.id && visibleTable(c); })
      .sort(function (a, b) { return phase.step === "vote" || phase.state === "closed" ? (b.dots - a.dots) || sortByOrder(a, b) : sortByOrder(a, b); });
    var phaseCards = Object.keys(cards).map(function (id) { return cards[id]; })
      .filter(function (c) { return c.phase === phase.id && visibleTable(c) && (isFacilitator || !c.hidden); });
    if (isParticipant) {
      outbox().forEach(function (item) {
        if (!phaseCards.some(function (c) { return c.client_id === item.client_id; })) {
          phaseCards.push({ id: "pending-" + item.client_id, text: item.text, phase: phase.id, cluster: null, order: 1e9, pending: true });
        }
      });
    }
    phaseClusters.forEach(function (cluster) {
      var inCluster = phaseCards.filter(function (c) { return c.cluster === cluster.id; }).sort(sortByOrder);
      container.appendChild(clusterNode(cluster, inCluster, phase, phaseClusters));
    });
    var loose = phaseCards.filter(function (c) { return !c.cluster || !clusters[c.cluster]; }).sort(sortByOrder);
    var unsorted = el("section", { class: "board-cluster unsorted", "data-cluster": "" }, [
      el("header", { class: "cluster-header" }, [el("h3", { class: "cluster-title", text: T.unsorted })]),
    ]);
    var list = el("div", { class: "cluster-cards" });
    loose.forEach(function (card) { list.appendChild(cardNode(card, phaseClusters)); });
    if (!loose.length) list.appendChild(el("p", { class: "empty", text: phaseCards.length ? "" : T.no_cards }));
    unsorted.appendChild(list);
    dropZone(unsorted, null);
    container.appendChild(unsorted);
  }

  function renderChosen(phase) {
    var section = document.getElementById("chosen");
    var select = document.getElementById("responds-to");
    section.textContent = "";
    var chosen = Object.keys(clusters).map(function (id) { return clusters[id]; })
      .filter(function (c) { return c.chosen && phases[c.phase] && phases[c.phase].kind === "critique"; });
    section.hidden = !(phase && phase.kind === "fantasy" && chosen.length);
    if (section.hidden) return;
    section.appendChild(el("h2", { class: "h3", text: T.chosen_critiques }));
    section.appendChild(el("ul", {}, chosen.map(function (c) {
      return el("li", { text: (c.title || T.untitled) + " (" + c.dots + " " + T.dots + ")" });
    })));
    var current = select.value;
    select.textContent = "";
    select.appendChild(el("option", { value: "", text: "—" }));
    chosen.forEach(function (c) {
      select.appendChild(el("option", { value: c.id, text: c.title || T.untitled, selected: String(c.id) === current ? true : null }));
    });
  }

  function renderProposals(phase) {
    var section = document.getElementById("proposals");
    var list = document.getElementById("proposal-list");
    var items = Object.keys(proposals).map(function (id) { return proposals[id]; }).sort(function (a, b) { return a.id - b.id; });
    section.hidden = !(phase && phase.kind === "implementation") && !items.length;
    document.getElementById("proposal-new").hidden = !allows(phase, "proposal");
    list.textContent = "";
    if (!items.length) list.appendChild(el("p", { class: "empty", text: T.no_proposals }));
    items.forEach(function (p) {
      var facts = el("dl", { class: "proposal-facts" });
      ["what", "who_helps", "start_when", "first_step", "resources", "obstacles"].forEach(function (field) {
        if (!p[field]) return;
        facts.appendChild(el("dt", { text: T[field] }));
        facts.appendChild(el("dd", { text: p[field] }));
      });
      var article = el("article", { class: "proposal", "data-proposal": p.id }, [
        el("h3", { class: "h3", text: p.title }),
        facts,
        el("p", { class: "meta", text: p.helpers + " " + T.helpers }),
      ]);
      if (p.promoted) {
        article.appendChild(el("p", { class: "proposal-promoted", text: T.promoted.replace("%(number)s", p.promoted.action).replace("%(plan)s", p.promoted.plan) }));
      }
      if (isParticipant && allows(phase, "help")) {
        var helping = !!myHelping[p.id];
        article.appendChild(el("button", {
          type: "button", class: helping ? "secondary" : "", text: helping ? T.helping : T.help,
          onclick: function () { send({ type: "help", proposal: p.id, helping: !helping, ref: "help:" + p.id }); },
        }));
      }
      list.appendChild(article);
    });
    var select = document.getElementById("p-cluster");
    var current = select.value;
    select.textContent = "";
    select.appendChild(el("option", { value: "", text: "—" }));
    Object.keys(clusters).map(function (id) { return clusters[id]; })
      .filter(function (c) { return phases[c.phase] && phases[c.phase].kind === "fantasy"; })
      .sort(function (a, b) { return b.dots - a.dots; })
      .forEach(function (c) { select.appendChild(el("option", { value: c.id, text: c.title || T.untitled, selected: String(c.id) === current ? true : null })); });
  }

  var proposalForm = document.getElementById("proposal-form");
  if (proposalForm) {
    proposalForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      new FormData(proposalForm).forEach(function (value, key) { fields[key] = value; });
      if (isParticipant) send({ type: "proposal", fields: fields, ref: "proposal:" + uuid() });
      else post("proposals/", fields);
      proposalForm.reset();
      document.getElementById("proposal-new").open = false;
    });
  }

  function renderControls(phase) {
    var box = document.getElementById("phase-controls");
    if (!box) return;
    box.textContent = "";
    state.phases.forEach(function (p) {
      p = phases[p.id];
      if (p.state === "pending") {
        box.appendChild(el("button", { type: "button", "data-open-phase": p.kind, text: "▶ " + p.label, onclick: function () { post("phases/" + p.id + "/open/", {}); } }));
      } else if (p.state === "open") {
        box.appendChild(el("button", { type: "button", class: "contrast", "data-close-phase": p.kind, text: "■ " + p.label, onclick: function () { post("phases/" + p.id + "/close/", {}); } }));
      }
    });
    document.querySelectorAll("[data-step]").forEach(function (button) {
      button.disabled = !phase || phase.state !== "open" || phase.kind === "implementation";
      button.setAttribute("aria-pressed", phase && phase.step === button.dataset.step ? "true" : "false");
    });
    document.querySelectorAll("[data-timer]").forEach(function (button) { button.disabled = !phase || phase.state !== "open"; });
    var lock = document.getElementById("lock-toggle");
    lock.textContent = state.workshop.locked ? lock.dataset.unlockLabel : lock.dataset.lockLabel;
  }

  // How many people are in the room (screens that hear everything; others have no such element).
  function renderParticipants() {
    var count = document.getElementById("participant-count");
    if (count && state.participants) count.textContent = T.participants + " " + Object.keys(present).length;
  }

  function render() {
    var phase = currentPhase();
    document.getElementById("phase-label").textContent = phase ? phase.label : "—";
    document.getElementById("step-label").textContent = phase && phase.state === "open" && phase.kind !== "implementation" ? phase.step_label : "";
    if (closedForGood) notice(T.removed);
    else if (state.workshop.status === "finished") notice(T.finished);
    else if (!phase) notice(T.waiting);
    else if (state.workshop.locked) notice(T.locked);
    var write = document.getElementById("write");
    var canWrite = allows(phase, "card") && !closedForGood;
    write.hidden = !canWrite;
    if (canWrite) {
      var prompt = document.getElementById("card-prompt");
      prompt.textContent = phase.kind === "fantasy" ? prompt.dataset.fantasy : prompt.dataset.critique;
      document.getElementById("responds").hidden = phase.kind !== "fantasy";
    }
    var left = document.getElementById("dots-left");
    left.hidden = !(isParticipant && allows(phase, "dot"));
    if (!left.hidden) left.textContent = T.dots_left + " " + dotsLeft(phase) + " / " + phase.dots_per_person;
    renderChosen(phase);
    renderBoard(phase);
    renderProposals(phase);
    renderControls(phase);
    renderParticipants();
    tick();
  }

  function tick() {
    var phase = currentPhase();
    var timer = document.getElementById("timer");
    if (!phase || phase.state !== "open" || !phase.timer_ends_at) { timer.textContent = ""; return; }
    var seconds = Math.round((new Date(phase.timer_ends_at).getTime() - Date.now()) / 1000);
    if (seconds <= 0) { timer.textContent = T.time_up; timer.classList.add("is-up"); return; }
    timer.classList.remove("is-up");
    var m = Math.floor(seconds / 60), s = seconds % 60;
    timer.textContent = T.time_left + " " + m + ":" + (s < 10 ? "0" : "") + s;
  }

  // Facilitator controls -----------------------------------------------------------------------

  if (mayEdit()) {
    document.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        var phase = currentPhase();
        if (phase) post("phases/" + phase.id + "/step/", { step: button.dataset.step });
      });
    });
    document.querySelectorAll("[data-timer]").forEach(function (button) {
      button.addEventListener("click", function () {
        var phase = currentPhase();
        if (phase) post("phases/" + phase.id + "/timer/", { minutes: button.dataset.timer });
      });
    });
    document.getElementById("lock-toggle").addEventListener("click", function () {
      post("lock/", { locked: state.workshop.locked ? "0" : "1" });
    });
    var newCluster = document.getElementById("new-cluster");
    newCluster.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      new FormData(newCluster).forEach(function (value, key) { fields[key] = value; });
      post("clusters/", fields).then(function () { newCluster.reset(); });
    });
    var filter = document.getElementById("table-filter");
    if (filter) filter.addEventListener("change", function () { tableFilter = filter.value; queueRender(); });
  }

  window.setInterval(tick, 1000);
  render();
  if (!isFinished()) connect();
})();
