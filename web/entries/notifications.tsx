/** /notifications.js: the notifications page. */
import { attach } from "../attach";
import { start } from "../boot";
import { Missing } from "../components/App";
import { Notifications } from "../pages/Notifications";

const { store } = start((page) => (page === "notifications" ? Notifications : Missing));
attach(store, false);
