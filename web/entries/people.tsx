/** /people.js: a user's followers or following. */
import { start } from "../boot";
import { Missing } from "../components/App";
import { People } from "../pages/People";

start((page) => (page === "people" ? People : Missing));
