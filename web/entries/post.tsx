/** /post.js: one post with its comments open (the thread is part of this bundle, not loaded later). */
import { attach } from "../attach";
import { start } from "../boot";
import { Missing } from "../components/App";
import { Thread } from "../components/Thread";
import { provideThread } from "../components/thread-slot";
import { PostPage } from "../pages/Post";

provideThread(Thread);
const { store } = start((page) => (page === "post" ? PostPage : Missing));
attach(store, false);
