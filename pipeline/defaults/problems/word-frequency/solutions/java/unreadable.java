import java.io.*;import java.util.*;
public class Main{public static void main(String[] a)throws IOException{BufferedReader r=new BufferedReader(new InputStreamReader(System.in));int k=Integer.parseInt(r.readLine().trim());HashMap<String,int[]>m=new HashMap<>();String l;
while((l=r.readLine())!=null){for(String w:l.split(" ")){if(w.length()>0){int[] c=m.get(w);if(c==null){m.put(w,new int[]{1});}else{c[0]++;}}}}List<Map.Entry<String,int[]>>v=new ArrayList<>(m.entrySet());
v.sort((x,y)->x.getValue()[0]!=y.getValue()[0]?y.getValue()[0]-x.getValue()[0]:x.getKey().compareTo(y.getKey()));StringBuilder s=new StringBuilder();for(int i=0;i<v.size();i++){if(i<k){s.append(v.get(i).getKey()).append(' ').append(v.get(i).getValue()[0]).append('\n');}}System.out.print(s);}}
