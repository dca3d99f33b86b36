// Very common passwords of 8 characters or more (shorter ones fail the length rule anyway),
// drawn from published breach frequency lists. Refused when a password is chosen.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '00000000', '11111111', '11223344', '12341234', '12345678', '123456789', '1234567890', '1234qwer', '1q2w3e4r',
  '1q2w3e4r5t', '1qaz2wsx', '1qaz2wsx3edc', '87654321', '88888888', '987654321', '99999999', 'abc12345', 'abcd1234',
  'administrator', 'asdf1234', 'asdfghjkl', 'baseball', 'baseball1', 'changeme', 'chelsea1', 'computer', 'computer1',
  'football', 'football1', 'football12', 'iloveyou', 'iloveyou1', 'internet', 'jennifer', 'letmein1', 'liverpool',
  'manchester', 'michelle', 'minecraft', 'monkey123', 'mypassword', 'p@ssw0rd', 'passw0rd', 'password', 'password!',
  'password1', 'password12', 'password123', 'passwords', 'princess', 'princess1', 'q1w2e3r4', 'qwer1234', 'qwerty12',
  'qwerty123', 'qwertyui', 'qwertyuiop', 'secret123', 'starwars', 'starwars1', 'sunshine', 'sunshine1', 'superman',
  'test1234', 'trustno1', 'trustno11', 'welcome1', 'whatever', 'zaq12wsx',
]);
