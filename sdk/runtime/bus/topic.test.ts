import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeName, nameOfTopicLevel, topicLevel } from './topic.js';

// Produced by go-mod-core-contracts v4.0.3 common.URLEncode (go run, once) for these inputs.
const GO_URL_ENCODE: [string, string][] = [
  ['a/b#c+', 'a%2Fb%23c%2B'],
  ['Random-Integer-Device', 'Random%2DInteger%2DDevice'],
  ['dev_1.x~y', 'dev%5F1%2Ex%7Ey'],
  ["$&:=@!*'()", '$&:=@%21%2A%27%28%29'],
  ['é 温度 %41', '%C3%A9%20%E6%B8%A9%E5%BA%A6%20%2541'],
  ['a;b,c?d', 'a%3Bb%2Cc%3Fd'],
  ['tab\there\u0000\u007f', 'tab%09here%00%7F'],
  ['Ωmega[]{}<>|\\^`"', '%CE%A9mega%5B%5D%7B%7D%3C%3E%7C%5C%5E%60%22'],
];

describe('names in topics', () => {
  it('escapeName is EdgeX URLEncode byte for byte', () => {
    for (const [name, escaped] of GO_URL_ENCODE) assert.equal(escapeName(name), escaped, JSON.stringify(name));
  });

  it('a name that can travel in a topic level stays as EdgeX (escape off) sends it', () => {
    for (const name of ['device-virtual', 'Random-Integer-Device', 'Int8', 'dev_1.x~y', 'é 温度', '$&:=@']) assert.equal(topicLevel(name), name);
  });

  it('a name with / + # %, a control character or a lone surrogate is escaped whole, as EdgeX with escape on', () => {
    for (const [name, escaped] of GO_URL_ENCODE.filter(([n]) => /[/+#%\u0000-\u001f\u007f]/.test(n))) assert.equal(topicLevel(name), escaped);
    assert.equal(topicLevel('a-b/c'), 'a%2Db%2Fc');
    assert.equal(topicLevel('x\u0085'), 'x%C2%85');
    assert.equal(topicLevel('x\ud800'), 'x%EF%BF%BD');
    for (const name of ['a/b#c+', 'x\u0085', '100%', 'tab\there']) assert.doesNotMatch(topicLevel(name), /[/+#\u0000-\u001f\u007f-\u009f]/);
  });

  it('nameOfTopicLevel undoes both, and refuses a broken escape', () => {
    for (const [name, escaped] of GO_URL_ENCODE) assert.equal(nameOfTopicLevel(escaped), name);
    for (const name of ['device-virtual', 'a/b#c+', '100%', 'é 温度']) assert.equal(nameOfTopicLevel(topicLevel(name)), name);
    assert.equal(nameOfTopicLevel('a+b'), 'a+b');
    assert.equal(nameOfTopicLevel('bad%zz'), undefined);
    assert.equal(nameOfTopicLevel('%C3'), undefined);
  });
});
